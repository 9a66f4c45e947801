// The browser tests' build cache (build-cache.ts): one build per key and content, a private copy per caller.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cachedBuild } from './build-cache.js';

const key = `build-cache test ${process.pid} ${Date.now()}`;
const dirs: string[] = [];

afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
  for (const name of readdirSync(tmpdir()).filter((n) => n.startsWith('visor-build-')))
    if (existsSync(join(tmpdir(), name, '.ready')))
      if (readFileSync(join(tmpdir(), name, '.ready'), 'utf8').startsWith(key))
        await rm(join(tmpdir(), name), { recursive: true, force: true });
});

describe('cachedBuild', () => {
  it('builds once per key, and every caller gets a copy of its own', async () => {
    let builds = 0;
    const build = async (dir: string) => {
      builds++;
      writeFileSync(join(dir, 'index.html'), `build ${builds}`);
    };
    const a = await cachedBuild(key, 'visor-build-test-', build);
    const b = await cachedBuild(key, 'visor-build-test-', build);
    dirs.push(a.dir, b.dir);
    expect(builds).toBe(1);
    expect(a.dir).not.toBe(b.dir);
    expect(readFileSync(join(b.dir, 'index.html'), 'utf8')).toBe('build 1');
    expect(existsSync(join(b.dir, '.ready'))).toBe(false);
    // a caller that removes or changes its copy leaves the cache and the other copies alone
    writeFileSync(join(a.dir, 'index.html'), 'changed');
    await rm(a.dir, { recursive: true });
    const c = await cachedBuild(key, 'visor-build-test-', build);
    dirs.push(c.dir);
    expect(builds).toBe(1);
    expect(readFileSync(join(c.dir, 'index.html'), 'utf8')).toBe('build 1');
    expect(readFileSync(join(b.dir, 'index.html'), 'utf8')).toBe('build 1');
  });

  it('two callers at once: one builds, the other waits for its build', async () => {
    let builds = 0;
    const build = async (dir: string) => {
      builds++;
      await new Promise((r) => setTimeout(r, 300));
      writeFileSync(join(dir, 'index.html'), 'concurrent');
    };
    const both = await Promise.all([
      cachedBuild(`${key} concurrent`, 'visor-build-test-', build),
      cachedBuild(`${key} concurrent`, 'visor-build-test-', build),
    ]);
    dirs.push(...both.map((b) => b.dir));
    expect(builds).toBe(1);
    for (const b of both) expect(readFileSync(join(b.dir, 'index.html'), 'utf8')).toBe('concurrent');
  });

  it('builds again for another key, and keeps nothing from a build that failed', async () => {
    let builds = 0;
    const other = await cachedBuild(`${key} other`, 'visor-build-test-', async (dir) => {
      builds++;
      writeFileSync(join(dir, 'index.html'), 'other');
    });
    dirs.push(other.dir);
    expect(builds).toBe(1);
    expect(readFileSync(join(other.dir, 'index.html'), 'utf8')).toBe('other');
    const failing = () =>
      cachedBuild(`${key} failing`, 'visor-build-test-', async () => {
        builds++;
        throw new Error('vite failed');
      });
    await expect(failing()).rejects.toThrow('vite failed');
    await expect(failing()).rejects.toThrow('vite failed');
    expect(builds).toBe(3);
  });
});
