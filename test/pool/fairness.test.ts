// The inference pool bounded by cost as well as count (issue 19): one API key holds at most its share of the
// places (429 TooManyJobs), keys take turns at a free worker, a client that has gone frees its queue place, and a
// job past its time limit fails with JobTimedOut while its worker is replaced. Real worker, real photo; the test
// worker hangs a job that asks for `limit: 14`.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobTimedOut, RequestCancelled, TooManyJobs } from '../../shared/errors.js';
import {
  createPooledEngine,
  runInJobScope,
  type PooledEngine,
} from '../../server/src/inference/pool/index.js';

const workerEntry = new URL('./crashing-worker.ts', import.meta.url);
let photo: Uint8Array;
beforeAll(async () => {
  photo = new Uint8Array(
    await readFile(join(import.meta.dirname, '../fixtures/compreface-samples/009_C.jpg')),
  );
});

/** A job for `owner`, started inside its scope (as the API-key middleware does for a request). */
const job = (pool: PooledEngine, owner: string, signal?: AbortSignal, limit?: number) =>
  runInJobScope({ owner, signal }, () => pool.analyzeBytes(photo, { embed: true, limit }));

describe('one worker, a queue of 8, three places per key', () => {
  let pool: PooledEngine;
  beforeAll(async () => {
    pool = await createPooledEngine({ workers: 1, queueLimit: 8, perOwnerLimit: 3 });
  });
  afterAll(() => pool?.dispose());

  it("refuses a key's jobs beyond its share with TooManyJobs (429, code 45) while another key still gets in", async () => {
    const a = Array.from({ length: 5 }, () => job(pool, 'key-a'));
    const b = job(pool, 'key-b');
    const settled = await Promise.allSettled(a);
    expect(settled.map((s) => s.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'rejected',
      'rejected',
    ]);
    for (const s of settled.slice(3)) {
      const e = (s as PromiseRejectedResult).reason;
      expect(e).toBeInstanceOf(TooManyJobs);
      expect(e).toMatchObject({ status: 429, code: 45, retryAfter: 1 });
    }
    expect((await b).faces).toHaveLength(1);
    expect(pool.stats().throttled).toBe(2);
    // the share is given back as jobs end
    expect((await job(pool, 'key-a')).faces).toHaveLength(1);
  });

  it('gives a free worker to the key served least recently, not to the oldest job', async () => {
    const order: string[] = [];
    const track = (name: string, p: Promise<unknown>) => p.then(() => order.push(name));
    await Promise.all([
      track('a1', job(pool, 'key-a')),
      track('a2', job(pool, 'key-a')),
      track('a3', job(pool, 'key-a')),
      track('b1', job(pool, 'key-b')),
    ]);
    expect(order).toEqual(['a1', 'b1', 'a2', 'a3']);
  });

  it('drops a queued job whose client has gone, and its place is free again', async () => {
    const gone = new AbortController();
    const first = job(pool, 'key-a');
    const queued = job(pool, 'key-a', gone.signal);
    const third = job(pool, 'key-a');
    await expect(job(pool, 'key-a')).rejects.toBeInstanceOf(TooManyJobs);
    const before = pool.stats().cancelled;
    gone.abort();
    await expect(queued).rejects.toBeInstanceOf(RequestCancelled);
    expect(pool.stats().cancelled).toBe(before + 1);
    expect(pool.stats().queued).toBe(1);
    const again = job(pool, 'key-a');
    for (const p of [first, third, again]) expect((await p).faces).toHaveLength(1);
    // a signal already aborted never queues
    await expect(job(pool, 'key-a', gone.signal)).rejects.toBeInstanceOf(RequestCancelled);
  });
});

describe('a job past its time limit', () => {
  let pool: PooledEngine;
  beforeAll(async () => {
    pool = await createPooledEngine({ workers: 1, queueLimit: 4, jobTimeoutMs: 4000, workerEntry });
  });
  afterAll(() => pool?.dispose());

  it('fails with JobTimedOut (503, code 46), its worker is replaced, the job queued behind it is answered', async () => {
    const hung = job(pool, 'key-a', undefined, 14);
    const next = job(pool, 'key-b');
    await expect(hung).rejects.toBeInstanceOf(JobTimedOut);
    await expect(hung).rejects.toMatchObject({ status: 503, code: 46 });
    expect((await next).faces).toHaveLength(1);
    expect(pool.stats()).toMatchObject({ timedOut: 1, crashes: 0, restarts: 1, loaded: 1, ready: true });
  });
});
