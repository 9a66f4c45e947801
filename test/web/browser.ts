// Browser-test plumbing: build the web app, serve a Hono app on a loopback port, drive Debian's Chromium
// through playwright-core, and save screenshots (desktop and phone) under test/artifacts/web.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { serve, type ServerType } from '@hono/node-server';
import { chromium, type Browser, type Page } from 'playwright-core';
import { cachedBuild } from './build-cache.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CHROMIUM = '/usr/bin/chromium';
export const HAVE_CHROMIUM = existsSync(CHROMIUM);
const run = promisify(execFile);
export const SKIP_REASON = HAVE_CHROMIUM
  ? ''
  : ` (skipped: ${CHROMIUM} is missing; apt-get install -y chromium)`;
export const ARTIFACTS = `${ROOT}test/artifacts/web`;
export const SAMPLES = `${ROOT}test/fixtures/compreface-samples`;

/** A fresh temporary folder for a build; the caller removes it (built apps are tens of MB). */
export const temporaryDir = (prefix: string): Promise<string> => mkdtemp(join(tmpdir(), prefix));

/**
 * Builds the real app (vite.config.ts: index.html, the service worker, its precache list) into a temporary
 * folder rather than dist/web, so a test never races another build or a running server; returns it and the
 * seconds taken. Runs Vite in its own process with NODE_ENV=production (vitest's NODE_ENV=test would give a dev
 * bundle). Built once per content (build-cache.ts): each caller gets its own copy.
 */

export function buildApp(): Promise<{ dir: string; seconds: number }> {
  return cachedBuild('app', 'visor-app-', async (dir) => {
    await run(
      process.execPath,
      [
        `${ROOT}node_modules/vite/bin/vite.js`,
        'build',
        '--logLevel',
        'warn',
        '--outDir',
        dir,
        '--emptyOutDir',
      ],
      {
        cwd: ROOT,
        env: { ...process.env, NODE_ENV: 'production' },
      },
    );
  });
}

export interface Served {
  origin: string;
  close(): Promise<void>;
}

/** Serves a Hono app (anything with `fetch(request)`) on 127.0.0.1 at a free port. */
export function listen(app: { fetch(request: Request): Response | Promise<Response> }): Promise<Served> {
  return new Promise((resolve) => {
    const fetch = (request: Request) => app.fetch(request);
    const server: ServerType = serve({ fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) => {
      resolve({
        origin: `http://127.0.0.1:${info.port}`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}

/** Launches Debian's Chromium headless without GPU, sync or first-run noise; `extraArgs` go after those. */
export function launch(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      ...extraArgs,
    ],
  });
}

const SHARED = Symbol.for('visor.test.chromium');
type WithBrowsers = typeof globalThis & { [SHARED]?: Map<string, Promise<Browser>> };

/**
 * One Chromium per worker process and set of `extraArgs`, shared by the files the worker runs (the browser lane runs
 * file after file in one process, `isolate: false`): launching one costs ~2.5 CPU-seconds with its GPU process. A
 * suite opens its own context (or `newPage()`, which owns one) and closes only that, never the browser; the worker's
 * exit closes it (playwright-core kills what it launched when the process exits). A browser that disconnects is
 * launched again on the next call.
 */
export function sharedBrowser(extraArgs: string[] = []): Promise<Browser> {
  const g = globalThis as WithBrowsers;
  const browsers = (g[SHARED] ??= new Map<string, Promise<Browser>>());
  const key = JSON.stringify(extraArgs);
  let browser = browsers.get(key);
  if (!browser) {
    browser = launch(extraArgs);
    browsers.set(key, browser);
    browser.then(
      (b) => b.on('disconnected', () => browsers.delete(key)),
      () => browsers.delete(key),
    );
  }
  return browser;
}

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

/** Saves `<name>.desktop.png` and `<name>.phone.png` (full page), then restores the desktop size. */
export async function screenshots(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.setViewportSize(DESKTOP);
  await page.screenshot({ path: `${ARTIFACTS}/${name}.desktop.png`, fullPage: true });
  await page.setViewportSize(PHONE);
  await page.screenshot({ path: `${ARTIFACTS}/${name}.phone.png`, fullPage: true });
  await page.setViewportSize(DESKTOP);
}

/** Collects uncaught page errors and console errors, for asserting a page ran clean. */
export function watchErrors(page: Page, ignore: RegExp[] = []): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !ignore.some((r) => r.test(m.text()))) errors.push(`console: ${m.text()}`);
  });
  return errors;
}

/** Accessibility basics a page must pass: every form control named, no duplicate ids. */
export function audit(page: Page): Promise<{ unnamed: string[]; duplicateIds: string[] }> {
  return page.evaluate(() => {
    const unnamed = [...document.querySelectorAll('input, select, textarea, button')]
      .filter((el) => {
        const e = el as HTMLInputElement;
        return !e.labels?.length && !e.getAttribute('aria-label') && !e.textContent?.trim();
      })
      .map((el) => el.outerHTML.slice(0, 120));
    const ids = [...document.querySelectorAll('[id]')].map((el) => el.id);
    const duplicateIds = [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))];
    return { unnamed, duplicateIds };
  });
}
