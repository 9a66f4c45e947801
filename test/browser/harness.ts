// Browser-test plumbing for the in-browser engine: build the test pages under test/browser/pages with Vite's
// JS API, serve them with the model/runtime routes the app mounts (cross-origin isolated, as in production),
// and launch Debian's Chromium, optionally with a fake camera. Also builds the real app into a temporary
// folder (buildApp) and routes built test pages onto a real server's origin (routePages, for the bench).
import { readFile, stat } from 'node:fs/promises';
import { extname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEFAULT_MODELS_DIR } from '../../server/src/inference/engine.js';
import { modelRoutes, ortRoutes } from '../../server/src/routes/models.js';
import { webApp } from '../../server/src/web/index.js';
import {
  HAVE_CHROMIUM,
  SKIP_REASON,
  buildApp,
  launch,
  listen,
  sharedBrowser,
  type Served,
} from '../web/browser.js';
import { cachedBuild } from '../web/build-cache.js';
import { keptFakeCamera } from './camera.js';

export { HAVE_CHROMIUM, SKIP_REASON, buildApp, launch, listen, type Served };
export const PAGES = fileURLToPath(new URL('./pages', import.meta.url));
export const SAMPLES = fileURLToPath(new URL('../fixtures/compreface-samples', import.meta.url));

/** The headers that make a page cross-origin isolated (SharedArrayBuffer, so onnxruntime-web threads). */
export const ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * Builds pages/<name>.html for each name into a temporary folder; returns it and the seconds taken. Built once per
 * content and set of names (build-cache.ts): each caller gets its own copy.
 */
export function buildPages(names: string[]): Promise<{ dir: string; seconds: number }> {
  return cachedBuild(`pages ${[...names].sort().join(',')}`, 'visor-browser-', async (dir) => {
    // loaded here, not at the top: most suites find the build cached and never need Vite (~0.6 s CPU to import)
    const [{ build }, { svelte }] = await Promise.all([
      import('vite'),
      import('@sveltejs/vite-plugin-svelte'),
    ]);
    await build({
      configFile: false,
      root: PAGES,
      base: '/',
      mode: 'production',
      logLevel: 'warn',
      plugins: [svelte({ configFile: false })],
      worker: { format: 'es' },
      build: {
        outDir: dir,
        emptyOutDir: true,
        target: 'es2022',
        minify: false,
        rollupOptions: { input: Object.fromEntries(names.map((n) => [n, join(PAGES, `${n}.html`)])) },
      },
    });
  });
}

/**
 * The routes a page needs from the server: /models, /ort, then `extra`, then the built pages; every response
 * with the isolation headers unless `isolated: false`.
 */
export function pageServer(
  dist: string,
  extra?: (app: Hono) => void,
  options: { isolated?: boolean } = {},
): Hono {
  const app = new Hono();
  if (options.isolated !== false)
    app.use('*', async (c, next) => {
      await next();
      for (const [k, v] of Object.entries(ISOLATION)) c.res.headers.set(k, v);
    });
  app.route('/models', modelRoutes(DEFAULT_MODELS_DIR));
  app.route('/ort', ortRoutes());
  extra?.(app);
  app.use('*', webApp(dist));
  return app;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.jpg': 'image/jpeg',
};

/**
 * Serves the files of a buildPages() folder on `origin` to one browser context (Playwright routing), with the
 * isolation headers; every other request goes on to the real server at that origin.
 */
export async function routePages(context: BrowserContext, origin: string, dir: string): Promise<void> {
  await context.route(`${origin}/**`, async (route) => {
    const path = new URL(route.request().url()).pathname;
    const file = join(dir, path);
    if (!file.startsWith(dir + sep) || !(await stat(file).catch(() => undefined))?.isFile())
      return route.fallback();
    await route.fulfill({
      body: await readFile(file),
      headers: { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream', ...ISOLATION },
    });
  });
}

/** Cosine similarity of two embeddings (the tests compare browser and server embeddings by it). */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return ab / Math.sqrt(aa * bb);
}

/**
 * Opens `${origin}/parity.html` in a page of its own context in `browser` (default: the worker's plain Chromium,
 * sharedBrowser) and waits for it to be ready. Closing the page closes its context.
 */
export async function openParityPage(origin: string, browser?: Browser): Promise<Page> {
  const page = await (browser ?? (await sharedBrowser())).newPage();
  page.on('pageerror', (e) => console.error('pageerror', e.message));
  await page.goto(`${origin}/parity.html`);
  await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready');
  return page;
}

export interface CameraPage {
  /** The worker's Chromium with this camera (sharedBrowser), shared with other suites: never close it. */
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Uncaught page errors, for asserting the page ran clean. */
  errors: string[];
  close(): Promise<void>;
}

/**
 * The fake camera's frame rate in the tests: a kiosk analyses each new frame once, so at 25 fps one kept a core
 * busy for as long as its page was open; 5 is enough for tracking, enrolment's best-of-5 window and every check.
 */
export const CAMERA_FPS = 5;

/**
 * Chromium whose fake camera shows `photo` (at CAMERA_FPS), with one 1100x700 context allowed the camera on
 * `origin` and a blank page in it; `init` runs first in the context (e.g. an init script seeding localStorage). The
 * Chromium is the worker's for this camera (keptFakeCamera, sharedBrowser): close() closes only the context.
 */
export async function openCameraPage(
  origin: string,
  photo: string,
  init?: (context: BrowserContext) => Promise<unknown>,
): Promise<CameraPage> {
  const browser = await sharedBrowser((await keptFakeCamera(photo, CAMERA_FPS)).args);
  const context = await browser.newContext({ viewport: { width: 1100, height: 700 } });
  try {
    await context.grantPermissions(['camera'], { origin });
    await init?.(context);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    return { browser, context, page, errors, close: () => context.close() };
  } catch (e) {
    await context.close();
    throw e;
  }
}
