// The real Visor server for the browser bench: `server/src/main.ts` (what `npm start` runs) in its own process,
// on a free loopback port with a temporary data folder and one inference worker (the browser does the work).
import { spawn } from 'node:child_process';
import { rm, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../deploy/process.js';
import { ROOT } from './setup.js';

export interface VisorProcess {
  origin: string;
  stop(): Promise<void>;
}

/** Starts the server and resolves once GET /api/ready answers 200 (models loaded, database open). */
export async function startVisor(timeoutMs = 180_000): Promise<VisorProcess> {
  const dataDir = await mkdtemp(join(tmpdir(), 'visor-bench-browser-'));
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'server/src/main.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      VISOR_DATA_DIR: dataDir,
      LOG_LEVEL: 'error',
      INFERENCE_WORKERS: '1',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-2000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const origin = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    await rm(dataDir, { recursive: true, force: true });
  };
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (child.exitCode !== null) break;
    const ok = await fetch(`${origin}/api/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { origin, stop };
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  throw new Error(`the Visor server did not get ready${err ? `:\n    ${err.trim()}` : ''}`);
}
