// The backend fallback chain in real Chromium (web/src/lib/inference/ort.ts): WebGPU when an adapter exists,
// else WASM with SIMD, with threads only when the page is cross-origin isolated. Headless Chromium with
// --disable-gpu has navigator.gpu but no adapter; SwiftShader (--use-webgpu-adapter=swiftshader) gives one.
// The worker reports what ran and why (EngineInfo.runtime), and every choice still finds the face.
import { rm } from 'node:fs/promises';
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HAVE_CHROMIUM,
  SAMPLES,
  SKIP_REASON,
  buildPages,
  cosine,
  launch,
  listen,
  openParityPage,
  pageServer,
  type Served,
} from './harness.js';
import type { ParityApi, PlainResult } from './pages/parity.js';

/** The folder the pages were built into, removed after the tests. */
let builtDir = '';

type Start = Awaited<ReturnType<ParityApi['start']>>;

describe.skipIf(!HAVE_CHROMIUM)(`backend fallback chain${SKIP_REASON}`, () => {
  let isolated: Served;
  let plain: Served;
  /** What the suite opened: its pages (each in a context of its own) and the Chromium it launched. */
  const pages: Page[] = [];
  const launched: Browser[] = [];

  /** A page in a new Chromium launched with `args`; without args, in the worker's plain Chromium (sharedBrowser). */
  async function open(origin: string, args: string[] = []): Promise<Page> {
    const browser = args.length ? await launch(args) : undefined;
    if (browser) launched.push(browser);
    const page = await openParityPage(origin, browser);
    pages.push(page);
    return page;
  }
  const start = (page: Page, options: Parameters<ParityApi['start']>[0] = {}): Promise<Start> =>
    page.evaluate((o) => window.visorParity.start(o), options);
  const analyze = (page: Page): Promise<PlainResult> =>
    page.evaluate(() => window.visorParity.analyzeFile('/fixture/009_C.jpg', { embed: true }));

  beforeAll(async () => {
    const built = await buildPages(['parity']);
    builtDir = built.dir;
    const photo = new Uint8Array(await readFile(`${SAMPLES}/009_C.jpg`));
    const fixture = (a: import('hono').Hono) =>
      a.get('/fixture/009_C.jpg', (c) => c.body(photo, 200, { 'content-type': 'image/jpeg' }));
    isolated = await listen(pageServer(built.dir, fixture));
    plain = await listen(pageServer(built.dir, fixture, { isolated: false }));
  });

  afterAll(async () => {
    for (const p of pages) await p.close();
    for (const b of launched) await b.close();
    await isolated?.close();
    await plain?.close();
    if (builtDir) await rm(builtDir, { recursive: true, force: true });
  });

  describe('headless, no GPU, COOP/COEP', () => {
    let page: Page;
    let single: PlainResult;
    beforeAll(async () => {
      page = await open(isolated.origin);
    });

    it('is cross-origin isolated; no WebGPU adapter, so WASM with SIMD and the default threads', async () => {
      expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
      const cores = await page.evaluate(() => navigator.hardwareConcurrency);
      const info = await start(page);
      console.log('default:', JSON.stringify(info.runtime), `(${cores} cores)`);
      expect(info.runtime).toMatchObject({ backend: 'wasm', simd: true, isolated: true });
      expect(info.runtime.threads).toBe(Math.min(4, Math.max(1, Math.ceil(cores / 2))));
      expect(info.runtime.notes[0]).toBe('webgpu: no adapter');
      single = await analyze(page);
      expect(single.faces).toHaveLength(1);
    });

    it('runs onnxruntime-web on 2 threads when asked, with the same embedding', async () => {
      const info = await start(page, { threads: 2 });
      console.log('threads 2:', JSON.stringify(info.runtime));
      expect(info.runtime).toMatchObject({ backend: 'wasm', threads: 2, isolated: true });
      const r = await analyze(page);
      expect(r.faces).toHaveLength(1);
      expect(cosine(r.faces[0].embedding!, single.faces[0].embedding!)).toBeGreaterThan(0.999);
    });

    it('asked for WebGPU without an adapter, falls back to WASM and says why', async () => {
      const info = await start(page, { backend: 'webgpu' });
      expect(info.runtime.backend).toBe('wasm');
      expect(info.runtime.notes).toContain('webgpu: no adapter');
      expect((await analyze(page)).faces).toHaveLength(1);
    });
  });

  it('without COOP/COEP: not isolated, one thread even when more are asked', async () => {
    const page = await open(plain.origin);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
    const info = await start(page, { threads: 2 });
    console.log('not isolated:', JSON.stringify(info.runtime));
    expect(info.runtime).toMatchObject({ backend: 'wasm', threads: 1, isolated: false });
    expect(info.runtime.notes).toContain('wasm: not cross-origin isolated, 1 thread');
    expect((await analyze(page)).faces).toHaveLength(1);
  });

  it('with a WebGPU adapter (SwiftShader), runs on WebGPU and finds the same face', async () => {
    const page = await open(isolated.origin, [
      '--enable-unsafe-webgpu',
      '--use-webgpu-adapter=swiftshader',
      // Two of Dawn's safety nets cost SwiftShader ~40% of this test's CPU: zeroing every workgroup's memory on
      // each dispatch and clamping every buffer access. They only define what a shader reads that it never
      // wrote or that lies out of bounds; this test checks the result itself (one face, the WASM embedding).
      // Validation stays on: it is what refuses an invalid call, as Chrome on a real GPU would.
      '--enable-dawn-features=disable_robustness,disable_workgroup_init',
      // V8's optimising tier recompiled the WebGPU build's 27 MB of asyncified WebAssembly in the background: ~8 of
      // this test's CPU-seconds, for code that here only opens sessions and feeds the GPU. The baseline tier runs
      // the same WebAssembly with the same results, only less optimised.
      '--js-flags=--liftoff-only',
    ]);
    const wasm = await start(page, { backend: 'wasm' });
    expect(wasm.runtime.notes[0]).toBe('wasm requested');
    const reference = await analyze(page);
    const info = await start(page);
    console.log('swiftshader:', JSON.stringify(info.runtime), `${info.startMs.toFixed(0)} ms to start`);
    // Before the fix in ort.ts this fell back to WASM: "another WebGPU EP inference session is being created".
    expect(info.runtime.backend).toBe('webgpu');
    expect(info.runtime.notes.filter((n) => n.startsWith('webgpu'))).toEqual([]);
    const r = await analyze(page);
    console.log('swiftshader analyse (first run, shaders compile):', JSON.stringify(r.execution_time));
    expect(r.faces).toHaveLength(1);
    expect(cosine(r.faces[0].embedding!, reference.faces[0].embedding!)).toBeGreaterThan(0.999);
  }, 300_000); // a software GPU: the first run compiles every shader on the CPU
});
