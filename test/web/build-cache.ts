// One Vite build per content for the browser tests: a build (the app, or a set of test pages) is keyed by a hash of
// everything it is built from and kept in the temp folder, so the test files that build the same thing share one
// build per run (and later runs reuse it until a source changes). Each caller still gets a folder of its own, a copy
// it may serve, modify or remove.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { cp, mkdtemp, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Cached builds unused for this long are removed when a new one is stored. */
const KEEP_MS = 24 * 3600_000;
const POLL_MS = 250;
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** What the app and the test pages are built from (folders are read recursively). */
const INPUTS = [
  'web',
  'shared',
  'test/browser/pages',
  'test/bench/stats.ts',
  'vite.config.ts',
  'tsconfig.json',
  'package-lock.json',
];

/** A short hash of `key` and the files at `inputs` (paths from the repository root; folders read recursively). */
export function hashSources(inputs: readonly string[], key = ''): string {
  const hash = createHash('sha256').update(key);
  const add = (rel: string) => {
    const path = join(ROOT, rel);
    if (!existsSync(path)) return;
    if (statSync(path).isDirectory()) {
      for (const name of readdirSync(path).sort()) if (name !== 'node_modules') add(`${rel}/${name}`);
    } else hash.update(rel).update(readFileSync(path));
  };
  inputs.forEach(add);
  return hash.digest('hex').slice(0, 16);
}

/**
 * Returns a fresh temporary folder (named `prefix`...) holding what `build(dir)` writes for `key`, building it only
 * when no finished build of the same key and sources is cached; `seconds` is this call's time.
 */
export async function cachedBuild(
  key: string,
  prefix: string,
  build: (dir: string) => Promise<void>,
): Promise<{ dir: string; seconds: number }> {
  const t = performance.now();
  const cached = join(tmpdir(), `visor-build-${hashSources(INPUTS, key)}`);
  // a test file running beside this one may be making the same build: wait for it rather than build it twice
  while (!existsSync(join(cached, '.ready')) && !(await lock(`${cached}.lock`))) await sleep(POLL_MS);
  if (!existsSync(join(cached, '.ready'))) {
    try {
      const building = await mkdtemp(`${cached}-building-`);
      await build(building).catch(async (e: unknown) => {
        await rm(building, { recursive: true, force: true });
        throw e;
      });
      await writeFile(join(building, '.ready'), key);
      await rename(building, cached).catch(() => rm(building, { recursive: true, force: true }));
    } finally {
      await rm(`${cached}.lock`, { force: true });
    }
    await pruneUnused();
  }
  const used = new Date();
  await utimes(cached, used, used);
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await cp(cached, dir, { recursive: true, filter: (src) => !src.endsWith('.ready') });
  return { dir, seconds: (performance.now() - t) / 1000 };
}

/** Takes the build's lock (a file holding our PID); a lock whose process is gone is taken over. */
async function lock(path: string): Promise<boolean> {
  try {
    await writeFile(path, String(process.pid), { flag: 'wx' });
    return true;
  } catch {
    const pid = Number(await readFile(path, 'utf8').catch(() => ''));
    if (!pid || alive(pid)) return false;
    await rm(path, { force: true });
    return lock(path);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Removes the cached builds (of sources since changed) that no test has used for KEEP_MS. */
async function pruneUnused(): Promise<void> {
  for (const name of await readdir(tmpdir())) {
    if (!/^visor-build-[0-9a-f]{16}$/.test(name)) continue;
    const path = join(tmpdir(), name);
    const { mtimeMs } = await stat(path).catch(() => ({ mtimeMs: Date.now() }));
    if (Date.now() - mtimeMs > KEEP_MS) await rm(path, { recursive: true, force: true });
  }
}
