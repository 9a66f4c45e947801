// Runs a benchmark script in a fresh Node process (through tsx) and returns the JSON result it prints,
// so each engine is measured alone: its own memory, its own cold start, no shared tfjs state.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ROOT } from './setup.js';

const MARK = '@@bench ';

/** Prints `result` where the parent finds it (call once, at the end of the child). */
export function sendResult(result: unknown): void {
  process.stdout.write(`\n${MARK}${JSON.stringify(result)}\n`);
}

/** Spawns `node [nodeArgs] --import tsx <script> ...args`; rejects with the child's last stderr lines if it fails. */
export function runChild<T>(
  script: string,
  args: string[],
  timeoutMs: number,
  nodeArgs: string[] = [],
): Promise<T> {
  const path = fileURLToPath(new URL(script, import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', path, ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = out.split('\n').find((l) => l.startsWith(MARK));
      if (code === 0 && line) return resolve(JSON.parse(line.slice(MARK.length)) as T);
      const why = signal === 'SIGKILL' ? `timed out after ${timeoutMs / 1000} s` : `exit code ${code}`;
      const tail = err.trim().split('\n').slice(-6).join('\n    ');
      reject(new Error(`${script} ${args.join(' ')}: ${why}${tail ? `\n    ${tail}` : ''}`));
    });
  });
}
