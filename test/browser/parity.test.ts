// The same photo gives the same faces and embeddings in Chromium (onnxruntime-web WASM in a worker) as on the
// server (onnxruntime-node): cosine >= 0.999 per face, boxes within 1 px. Pixels decoded by the server are
// compared strictly; the browser's own JPEG decoder is held to the same bar. Per-stage ms are printed.
import { rm } from 'node:fs/promises';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalyzeOptions, AnalyzeResult, FaceEngine } from '../../shared/engine/types.js';
import type { RawImage } from '../../shared/image.js';
import { decodeImage } from '../../server/src/image/decode.js';
import {
  HAVE_CHROMIUM,
  SAMPLES,
  SKIP_REASON,
  buildPages,
  cosine,
  listen,
  openParityPage,
  pageServer,
  type Served,
} from './harness.js';
import type { PlainResult } from './pages/parity.js';
import { testEngine } from '../storage/test-engine.js';

/** The folder the pages were built into, removed after the tests. */
let builtDir = '';

const PHOTOS = ['009_C.jpg', '000_5.jpg'];
const OPTS = { embed: true };

/** Worst box-corner difference (px) and worst cosine over faces matched in order (both sorted by area). */
function compare(server: AnalyzeResult, browser: PlainResult): { box: number; cosine: number } {
  let box = 0;
  let cos = 1;
  server.faces.forEach((s, i) => {
    const b = browser.faces[i];
    for (const k of ['x_min', 'y_min', 'x_max', 'y_max'] as const)
      box = Math.max(box, Math.abs(s.box[k] - b.box[k]));
    cos = Math.min(cos, cosine(s.embedding!, b.embedding!));
  });
  return { box, cosine: cos };
}

const round = (t: Record<string, number>) =>
  Object.fromEntries(Object.entries(t).map(([k, v]) => [k, Math.round(v * 10) / 10]));

describe.skipIf(!HAVE_CHROMIUM)(`browser engine parity${SKIP_REASON}`, () => {
  let engine: FaceEngine;
  let served: Served;
  let page: Page;
  const images = new Map<string, RawImage>();

  beforeAll(async () => {
    const built = await buildPages(['parity']);
    builtDir = built.dir;
    console.log(`vite build (test pages): ${built.seconds.toFixed(1)} s`);
    // the worker's server engine (test-engine.ts): the same answers, its models loaded once per worker
    engine = await testEngine();
    for (const p of PHOTOS)
      images.set(p, await decodeImage(new Uint8Array(await readFile(`${SAMPLES}/${p}`))));
    const app = pageServer(built.dir, (a) => {
      a.get('/fixture/raw/:name', (c) => {
        const img = images.get(c.req.param('name'))!;
        return c.body(new Uint8Array(img.data), 200, {
          'x-width': `${img.width}`,
          'x-height': `${img.height}`,
        });
      });
      a.get('/fixture/file/:name', async (c) =>
        c.body(new Uint8Array(await readFile(`${SAMPLES}/${c.req.param('name')}`)), 200, {
          'content-type': 'image/jpeg',
        }),
      );
    });
    served = await listen(app);
    page = await openParityPage(served.origin);
  });

  afterAll(async () => {
    await page?.close();
    await served?.close();
    if (builtDir) await rm(builtDir, { recursive: true, force: true });
  });

  it('starts onnxruntime-web (WASM, SIMD) in a cross-origin isolated worker', async () => {
    const info = await page.evaluate(() => window.visorParity.start());
    console.log('browser engine', JSON.stringify({ ...info, versions: undefined }));
    expect(info.isolated).toBe(true);
    expect(info.runtime.backend).toBe('wasm');
    expect(info.runtime.simd).toBe(true);
    expect(info.embedderId).toBe(engine.embedderId);
    expect(info.embeddingSize).toBe(engine.embeddingSize);
  });

  for (const photo of PHOTOS) {
    it(`${photo}: same faces and embeddings as the server`, async () => {
      const server = await engine.analyze(images.get(photo)!, OPTS);
      expect(server.faces.length).toBeGreaterThan(0);
      const raw = await page.evaluate(([u, o]) => window.visorParity.analyzeRaw(u, o), [
        `/fixture/raw/${photo}`,
        OPTS,
      ] as const);
      const file = await page.evaluate(([u, o]) => window.visorParity.analyzeFile(u, o), [
        `/fixture/file/${photo}`,
        OPTS,
      ] as const);
      const stages = (r: AnalyzeResult | PlainResult) =>
        round({ ...r.execution_time, ...r.faces[0].execution_time });
      console.log(
        photo,
        JSON.stringify({
          faces: server.faces.length,
          server: stages(server),
          // the browser's first runs (they include compiling kernels): timings are the bench's job (npm run bench)
          browser: stages(raw),
          browserDecoded: stages(file),
        }),
      );
      expect(raw.faces.length).toBe(server.faces.length);
      const same = compare(server, raw);
      console.log(
        photo,
        'server pixels',
        same,
        'browser-decoded',
        file.faces.length === server.faces.length ? compare(server, file) : `${file.faces.length} faces`,
      );
      expect(same.box).toBeLessThanOrEqual(1);
      expect(same.cosine).toBeGreaterThanOrEqual(0.999);
      expect(file.faces.length).toBe(server.faces.length);
      const decoded = compare(server, file);
      expect(decoded.box).toBeLessThanOrEqual(1);
      expect(decoded.cosine).toBeGreaterThanOrEqual(0.999);
    });
  }

  it('answers the mask plugin as the server does (the head ships in the bundle)', async () => {
    const opts: AnalyzeOptions = { plugins: ['mask'] };
    for (const photo of PHOTOS) {
      const server = await engine.analyze(images.get(photo)!, opts);
      const browser = await page.evaluate(([u, o]) => window.visorParity.analyzeRaw(u, o), [
        `/fixture/raw/${photo}`,
        opts,
      ] as const);
      expect(browser.faces.map((f) => f.mask?.value)).toEqual(server.faces.map((f) => f.mask?.value));
      browser.faces.forEach((f, i) =>
        expect(f.mask!.probability).toBeCloseTo(server.faces[i].mask!.probability, 2),
      );
    }
  });

  it('starts again with the network gone, from the Cache API', async () => {
    await page.context().setOffline(true);
    try {
      const info = await page.evaluate(() => window.visorParity.start());
      console.log(`offline restart from cache: ${info.startMs.toFixed(0)} ms`);
      expect(info.runtime.backend).toBe('wasm');
    } finally {
      await page.context().setOffline(false);
    }
  });
});
