// The PGlite folder lock (server/src/db/lock.ts) after crashes. A lock left by a process killed with SIGKILL is
// taken over with a log line; a live holder in another process is refused; a PID reused by another process does
// not keep a dead run's lock. Then the container case (issue 19.2): the built server in its own PID namespace (PID
// 1, as in a container), killed with SIGKILL and started again in a fresh namespace, where it gets PID 1 again,
// three times: it starts every time; and a second server in another namespace on the same folder is refused while
// the first runs (PIDs mean nothing across namespaces; the lock's socket answers).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DatabaseLocked, lockDataDir } from '../../server/src/db/lock.js';
import { seedPglite } from '../storage/backends.js';
import { ROOT, spawnVisor, waitReady, type VisorProcess } from './process.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'visor-lock-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A separate Node process holding the lock on `dir`; resolves once it holds it. */
async function holder(dir: string): Promise<ChildProcess> {
  const code = `const { lockDataDir } = await import(${JSON.stringify(join(ROOT, 'server/src/db/lock.ts'))});
    await lockDataDir(${JSON.stringify(dir)}, () => {}); console.log('locked'); setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('locked') && resolve());
    child.once('exit', (c) => reject(new Error(`lock holder exited with ${c}`)));
  });
  return child;
}

const killed = (c: ChildProcess) =>
  new Promise<void>((resolve) => {
    c.once('exit', () => resolve());
    c.kill('SIGKILL');
  });

describe('data folder lock', () => {
  it('refuses a live holder, takes over from one killed with SIGKILL, with a log line', async () => {
    const dir = tempDir();
    const child = await holder(dir);
    const logged: [string, Record<string, unknown>][] = [];
    const log = (m: string, f: Record<string, unknown>) => void logged.push([m, f]);
    await expect(lockDataDir(dir, log)).rejects.toThrow(DatabaseLocked);
    await expect(lockDataDir(dir, log)).rejects.toThrow(`in use by process ${child.pid}`);
    await killed(child);
    expect(existsSync(join(dir, 'visor.lock'))).toBe(true); // nothing cleaned up after SIGKILL
    const release = await lockDataDir(dir, log);
    expect(logged).toEqual([
      ['took over a stale database lock', { dir, previous: expect.objectContaining({ pid: child.pid }) }],
    ]);
    // one owner per process too: a second open in the same process is refused, not taken over
    await expect(lockDataDir(dir, log)).rejects.toThrow(DatabaseLocked);
    release();
    expect(existsSync(join(dir, 'visor.lock'))).toBe(false);
  });

  it('does not let a reused PID keep a dead run’s lock', async () => {
    const dir = tempDir();
    // a live process that is not the holder: its PID, but not its start time (the dead run's)
    const other = spawn('sleep', ['60']);
    try {
      writeFileSync(
        join(dir, 'visor.lock'),
        JSON.stringify({ pid: other.pid, startId: 'dead-run', procStart: '1', socket: true }),
      );
      const logged: string[] = [];
      const release = await lockDataDir(dir, (m) => void logged.push(m));
      expect(logged).toEqual(['took over a stale database lock']);
      expect(JSON.parse(readFileSync(join(dir, 'visor.lock'), 'utf8'))).toMatchObject({ pid: process.pid });
      release();
    } finally {
      other.kill();
    }
  });
});

const canUnshare =
  process.platform === 'linux' &&
  spawnSync('unshare', ['--pid', '--fork', '--mount-proc', 'true'], { stdio: 'ignore' }).status === 0;
if (!canUnshare)
  console.warn('lock.test: skipping the PID-namespace tests (needs root and util-linux unshare)');

describe.skipIf(!canUnshare)('the built server in its own PID namespace (a container)', () => {
  const dataDir = tempDir();
  const inNamespace = (): Promise<VisorProcess> =>
    spawnVisor({
      command: ['unshare', '--pid', '--fork', '--mount-proc', process.execPath, 'dist/server/main.js'],
      dataDir,
    });
  /** The server itself (PID 1 in its namespace): `unshare` ignores SIGTERM and passes no signal on. */
  const serverPid = (p: VisorProcess) => {
    const children = readFileSync(`/proc/${p.child.pid}/task/${p.child.pid}/children`, 'utf8')
      .trim()
      .split(' ');
    expect(children).toHaveLength(1);
    return Number(children[0]);
  };
  const signal = async (p: VisorProcess | undefined, sig: NodeJS.Signals) => {
    if (p && p.child.exitCode === null && p.child.signalCode === null) process.kill(serverPid(p), sig);
    await p?.exited;
  };
  let running: VisorProcess | undefined;
  afterAll(() => signal(running, 'SIGTERM'));

  it('starts again after kill -9, three times, taking over the lock of the previous PID 1', async () => {
    await seedPglite(dataDir); // a copy of the migrated template: the first start need not migrate
    running = await inNamespace();
    await waitReady(running);
    expect(JSON.parse(readFileSync(join(dataDir, 'pglite', 'visor.lock'), 'utf8'))).toMatchObject({ pid: 1 });
    for (let i = 0; i < 3; i++) {
      await signal(running, 'SIGKILL');
      running = await inNamespace();
      await waitReady(running);
      expect(running.log()).toMatch(/"took over a stale database lock".*"previous":\{"pid":1,/);
    }
  }, 600_000);

  it('refuses a second server on the same folder from another namespace while the first runs', async () => {
    running ??= await inNamespace();
    await waitReady(running);
    const second = await inNamespace();
    const exit = await second.exited;
    expect(exit.code, second.log()).not.toBe(0);
    expect(second.log()).toContain('is in use by process 1');
    expect(await fetch(`${running.origin}/api/ready`).then((r) => r.status)).toBe(200);
  }, 300_000);
});
