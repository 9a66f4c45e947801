// The inference pool against the in-process engine on CompreFace's sample photos: same faces and embeddings,
// concurrent jobs, a bounded queue that refuses the excess with Overloaded (503), a crashed worker replaced.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Overloaded } from '../../shared/errors.js';
import type { AnalyzeResult, FaceEngine } from '../../shared/engine/types.js';
import { createMetrics } from '../../server/src/http/metrics.js';
import { decodeImage } from '../../server/src/image/decode.js';
import {
  createPooledEngine,
  WorkerCrashed,
  type PooledEngine,
} from '../../server/src/inference/pool/index.js';
import { testEngine } from '../storage/test-engine.js';

const dir = join(import.meta.dirname, '../fixtures/compreface-samples');
const FILES = ['000_5.jpg', '001_A.jpg', '009_C.jpg', '017_0.jpg'];
const bytes = new Map<string, Uint8Array>();
const reference = new Map<string, AnalyzeResult>();
let local: FaceEngine;
let pool: PooledEngine;

beforeAll(async () => {
  for (const f of FILES) bytes.set(f, new Uint8Array(await readFile(join(dir, f))));
  [local, pool] = await Promise.all([testEngine(), createPooledEngine({ workers: 2, queueLimit: 16 })]);
  for (const f of FILES)
    reference.set(f, await local.analyze(await decodeImage(bytes.get(f)!), { embed: true }));
});
afterAll(async () => {
  await local?.dispose();
  await pool?.dispose();
});

/** Same faces within float noise: the workers run onnxruntime with fewer intra-op threads. */
function expectSameFaces(actual: AnalyzeResult, expected: AnalyzeResult) {
  expect(actual.width).toBe(expected.width);
  expect(actual.faces).toHaveLength(expected.faces.length);
  actual.faces.forEach((face, i) => {
    const ref = expected.faces[i];
    for (const k of ['x_min', 'y_min', 'x_max', 'y_max'] as const)
      expect(Math.abs(face.box[k] - ref.box[k])).toBeLessThanOrEqual(1);
    expect(face.box.probability).toBeCloseTo(ref.box.probability, 4);
    expect(face.embedding).toBeInstanceOf(Float32Array);
    expect(face.embedding).toHaveLength(ref.embedding!.length);
    face.embedding!.forEach((v, j) => expect(v).toBeCloseTo(ref.embedding![j], 4));
    expect(Object.keys(face.execution_time).sort()).toEqual(Object.keys(ref.execution_time).sort());
  });
}

describe('createPooledEngine', () => {
  it('reports the same embedder and similarity as the in-process engine', () => {
    expect(pool.ready).toBe(true);
    expect(pool.embedderId).toBe(local.embedderId);
    expect(pool.embeddingSize).toBe(local.embeddingSize);
    expect(pool.versions).toEqual(local.versions);
    const [a, b] = reference.get('000_5.jpg')!.faces;
    expect(pool.similarity(a.embedding!, b.embedding!)).toBe(local.similarity(a.embedding!, b.embedding!));
  });

  it('finds the same faces and embeddings from pixels (moved, not copied) and from bytes', async () => {
    for (const f of FILES) {
      const image = await decodeImage(bytes.get(f)!);
      const own = { ...image, data: image.data.slice() };
      expectSameFaces(await pool.analyze(own, { embed: true }), reference.get(f)!);
      expect(own.data.byteLength).toBe(0);
      expectSameFaces(await pool.analyzeBytes(bytes.get(f)!, { embed: true }), reference.get(f)!);
    }
  });

  it('answers many concurrent analyses, every one right', async () => {
    // the photos under ~1 megapixel (the 36-megapixel one went through the pool both ways above): twelve jobs
    // for two workers and a queue of 16, as many crowds, one-face photos and empty ones
    const light = FILES.filter((f) => f !== '001_A.jpg');
    const order = Array.from({ length: 12 }, (_, i) => light[i % light.length]);
    const results = await Promise.all(order.map((f) => pool.analyzeBytes(bytes.get(f)!, { embed: true })));
    results.forEach((r, i) => expectSameFaces(r, reference.get(order[i])!));
    expect(pool.stats()).toMatchObject({ workers: 2, loaded: 2, busy: 0, queued: 0 });
  });

  it('passes domain errors from the worker through by name', async () => {
    await expect(pool.analyzeBytes(new Uint8Array([1, 2, 3]))).rejects.toMatchObject({
      name: 'UnsupportedImage',
      code: 21,
      status: 400,
    });
    // Unknown plugin names are no error: the engine ignores them, as CompreFace's plugin manager does.
    const ignored = await pool.analyzeBytes(bytes.get('009_C.jpg')!, { plugins: ['nope' as never] });
    expect(ignored.faces).toHaveLength(1);
  });

  it('feeds per-stage times to the metrics', async () => {
    const metrics = createMetrics({ pool });
    await pool.analyzeBytes(bytes.get('009_C.jpg')!, { embed: true });
    const text = await metrics.render();
    metrics.close();
    for (const stage of ['decode', 'detector', 'landmarks68', 'calculator'])
      expect(text).toMatch(new RegExp(`^visor_inference_stage_seconds_count\\{stage="${stage}"\\} 1$`, 'm'));
    expect(text).toMatch(/^visor_inference_workers\{state="idle"\} 2$/m);
  });
});

describe('a one-worker pool with a one-job queue', () => {
  let small: PooledEngine;
  beforeAll(async () => {
    small = await createPooledEngine({
      workers: 1,
      queueLimit: 1,
      workerEntry: new URL('./crashing-worker.ts', import.meta.url),
    });
  });
  afterAll(() => small?.dispose());

  it('refuses a burst beyond the queue with Overloaded (503) instead of queueing it', async () => {
    const jobs = Array.from({ length: 5 }, () =>
      small.analyzeBytes(bytes.get('009_C.jpg')!, { embed: true }),
    );
    expect(small.stats()).toMatchObject({ busy: 1, queued: 1 });
    const settled = await Promise.allSettled(jobs);
    expect(settled.map((s) => s.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'rejected',
      'rejected',
    ]);
    for (const s of settled.slice(2)) {
      const e = (s as PromiseRejectedResult).reason;
      expect(e).toBeInstanceOf(Overloaded);
      expect(e).toMatchObject({ status: 503, code: 40 });
    }
    expect(small.stats().overloaded).toBe(3);
  });

  it('fails the job of a crashed worker with WorkerCrashed and restarts it for the next', async () => {
    const crash = small.analyzeBytes(bytes.get('009_C.jpg')!, { limit: 13 });
    const next = small.analyzeBytes(bytes.get('009_C.jpg')!, { embed: true });
    await expect(crash).rejects.toBeInstanceOf(WorkerCrashed);
    await expect(crash).rejects.toThrow(/exit code 7/);
    expectSameFaces(await next, reference.get('009_C.jpg')!);
    expect(small.stats()).toMatchObject({ crashes: 1, restarts: 1, loaded: 1, ready: true });
  });
});
