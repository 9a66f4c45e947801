// The set-up the app's browser suites share: the built app served by the real server (admin-server.ts), one
// Chromium with one desktop context and page (or a fake camera's, see openCameraPage), the page's errors collected,
// the suite's artifacts folder emptied, and helpers to act through the API where the UI is not what is tested:
// sign up (the session cookie lands in the page's context), call the administration, add examples with a key.
import { rm } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { expect } from 'vitest';
import { loadConfig } from '../../server/src/config.js';
import { DESKTOP, sharedBrowser, watchErrors } from '../web/browser.js';
import { startAdminServer, type AdminServer } from './admin-server.js';
import { SAMPLES, buildApp, openCameraPage } from './harness.js';

/** What the administration asks of a browser's writes (its CSRF check). */
export const CSRF = { 'x-requested-with': 'test' };
/** The first user of the suites' servers: the owner. */
export const OWNER = { email: 'grace@example.com', password: 'correct horse battery', first_name: 'Grace' };

/** The longest side the server analyses a photo at (ANALYSIS_MAX_SIDE's default, as the suites' servers run). */
const ANALYSIS_MAX_SIDE = loadConfig({}).analysisMaxSide;
/** Example photos as addExamples sends them, per worker (the suites enrol the same few). */
const scaled = new Map<string, Promise<Uint8Array<ArrayBuffer>>>();

/**
 * A sample photo at most ANALYSIS_MAX_SIDE on its longest side, upright (JPEG): the server finds the same face in it
 * as in the original, which it reduces to that size before analysing, while every page that shows the example (the
 * collection's thumbnails, the lightbox, a kiosk's sync) no longer decodes a 20–36 megapixel original in Chromium.
 */
function examplePhoto(file: string): Promise<Uint8Array<ArrayBuffer>> {
  let photo = scaled.get(file);
  if (!photo) {
    photo = sharp(`${SAMPLES}/${file}`)
      .rotate()
      .resize(ANALYSIS_MAX_SIDE, ANALYSIS_MAX_SIDE, { fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: 90 })
      .toBuffer()
      .then((b) => new Uint8Array(b));
    scaled.set(file, photo);
  }
  return photo;
}

export interface AppSession {
  server: AdminServer;
  origin: string;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Uncaught page errors (and console errors, without a camera), for asserting the page ran clean. */
  errors: string[];
  /** The page's first heading. */
  h1(): Promise<string | null>;
  /** An administration request with the context's cookies; asserts it succeeded and returns its JSON. */
  admin<T>(method: string, path: string, data?: unknown): Promise<T>;
  /** Signs `user` up through the API (default: the owner); the context is then logged in as them. */
  signUp(user?: { email: string; password: string; first_name: string }): Promise<void>;
  /** Adds each sample photo (examplePhoto's copy) as an example of `subject` through the REST API with `apiKey`. */
  addExamples(apiKey: string, subject: string, files: string[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * Builds (or reuses) the app, starts the server and Chromium. `artifacts`: a folder emptied now for the suite's
 * screenshots; `camera`: a sample photo the fake camera shows (a 1100x700 context allowed the camera).
 */
export async function openAppSession(
  opts: { artifacts?: string; camera?: string } = {},
): Promise<AppSession> {
  const webDir = (await buildApp()).dir;
  const server = await startAdminServer(webDir);
  const closers: (() => Promise<unknown>)[] = [
    () => server.close(),
    () => rm(webDir, { recursive: true, force: true }),
  ];
  const close = async () => {
    for (const c of closers) await c();
  };
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  try {
    if (opts.camera) {
      const camera = await openCameraPage(server.origin, `${SAMPLES}/${opts.camera}`);
      ({ browser, context, page, errors } = camera);
      closers.unshift(() => camera.close());
    } else {
      // the worker's Chromium (sharedBrowser): this session closes only its context
      browser = await sharedBrowser();
      context = await browser.newContext({ viewport: DESKTOP });
      const own = context;
      closers.unshift(() => own.close());
      page = await context.newPage();
      // 401 from /admin/me while logged out and the 4xx the suites provoke: Chromium logs them as failed loads.
      errors = watchErrors(page, [/Failed to load resource/]);
    }
    if (opts.artifacts) await rm(opts.artifacts, { recursive: true, force: true });
  } catch (e) {
    await close();
    throw e;
  }

  const origin = server.origin;
  const admin = async <T>(method: string, path: string, data?: unknown): Promise<T> => {
    const res = await context.request.fetch(`${origin}/admin/${path}`, { method, data, headers: CSRF });
    expect(res.ok(), `${method} ${path}: ${await res.text()}`).toBe(true);
    return (res.status() === 204 ? undefined : await res.json()) as T;
  };
  return {
    server,
    origin,
    browser,
    context,
    page,
    errors,
    h1: () => page.locator('h1').textContent(),
    admin,
    async signUp(user = OWNER) {
      const res = await context.request.post(`${origin}/admin/signup`, { headers: CSRF, data: user });
      expect(res.status(), await res.text()).toBe(201);
    },
    async addExamples(apiKey, subject, files) {
      for (const file of files) {
        const form = new FormData();
        form.append('file', new Blob([await examplePhoto(file)], { type: 'image/jpeg' }), file);
        const res = await fetch(`${origin}/api/v1/recognition/faces?subject=${encodeURIComponent(subject)}`, {
          method: 'POST',
          headers: { 'x-api-key': apiKey },
          body: form,
        });
        expect(res.status, `${file}: ${await res.clone().text()}`).toBe(201);
      }
    },
    close,
  };
}
