// Visor as a separate process, started the way deployments start it (`npm start`, `node dist/server/main.js`):
// a free loopback port, a temporary data folder, readiness polled on /api/ready, the exit awaited.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '../..');

/** A port nobody listens on right now (the OS's pick, released again). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** Whether something accepts TCP connections on 127.0.0.1:`port`. */
export function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface VisorProcess {
  child: ChildProcess;
  port: number;
  origin: string;
  dataDir: string;
  /** Resolves when the process has exited. */
  exited: Promise<Exit>;
  /** The last 20 KB of its stdout and stderr (JSON log lines). */
  log(): string;
}

export interface StartOptions {
  /** The command and its arguments; default `node dist/server/main.js`. */
  command?: [string, ...string[]];
  env?: Record<string, string>;
  port?: number;
  /** Data folder; default a fresh temporary one. */
  dataDir?: string;
  /** Start from this process's environment (default) or from `env` alone (plus PATH), as a container would. */
  inheritEnv?: boolean;
}

/** Spawns Visor with its own `PORT` and `VISOR_DATA_DIR` and one inference worker (unless `env` says otherwise). */
export async function spawnVisor(opts: StartOptions = {}): Promise<VisorProcess> {
  const port = opts.port ?? (await freePort());
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'visor-deploy-'));
  const [cmd, ...args] = opts.command ?? [process.execPath, 'dist/server/main.js'];
  const child = spawn(cmd, args, {
    cwd: ROOT,
    env: {
      ...(opts.inheritEnv === false ? { PATH: process.env.PATH } : process.env),
      INFERENCE_WORKERS: '1',
      INTRA_OP_THREADS: '1',
      ...opts.env,
      PORT: String(port),
      VISOR_DATA_DIR: dataDir,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (d: Buffer) => (out = (out + d.toString()).slice(-20_000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<Exit>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, port, origin: `http://127.0.0.1:${port}`, dataDir, exited, log: () => out };
}

/** Resolves once GET /api/ready answers 200; throws with the process's log if it exits first. */
export async function waitReady(p: VisorProcess): Promise<void> {
  for (;;) {
    if (p.child.exitCode !== null || p.child.signalCode !== null)
      throw new Error(`visor exited before it was ready:\n${p.log()}`);
    const ok = await fetch(`${p.origin}/api/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Stops the process if it still runs (SIGTERM), waits for it, removes its data folder unless `keepData`. */
export async function stopVisor(
  p: VisorProcess | undefined,
  opts: { keepData?: boolean } = {},
): Promise<void> {
  if (!p) return;
  if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGTERM');
  await p.exited;
  if (!opts.keepData) rmSync(p.dataDir, { recursive: true, force: true });
}
