// Section `browser`: the in-browser engine (onnxruntime-web in a Worker, headless Chromium) next to the server
// engine on the small and group photos, per stage; and the kiosk's webcam loop (fake camera) in frames per second.
// The page comes from the real server (server/src/main.ts in its own process), as users get it.
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Browser } from 'playwright-core';
import type { BenchStart, BrowserRun } from '../browser/pages/bench.js';
import { fakeCamera } from '../browser/camera.js';
import { buildPages, launch, routePages } from '../browser/harness.js';
import { runKioskLoops } from './browser-kiosk.js';
import { startVisor } from './browser-visor.js';
import { runChild } from './child.js';
import type { TimingResult } from './engine-child.js';
import { PHOTOS, photoPath } from './setup.js';
import { median, medians, quantile, type Sampling } from './stats.js';
import { printTable, type Cell } from './table.js';

/** The photos the browser can take in reasonable time (the huge one would need a 36-megapixel bitmap). */
const BENCH_PHOTOS = PHOTOS.filter((p) => p.key !== 'huge');

const LABELS: Record<string, string> = {
  detector: 'detect',
  verifier: 'verify (face mesh on candidates)',
  landmarks68: 'landmarks68 (alignment)',
  calculator: 'align + embed',
};

interface BrowserColumn {
  start: BenchStart;
  photos: Record<string, BrowserRun[]>;
}

interface KioskFps {
  fps: number[];
  frameMs: number[];
  runtime: string;
  isolated: boolean;
}

/** Times the engine on each photo in a page routed onto the server's origin (no service worker). */
async function timeInBrowser(
  browser: Browser,
  origin: string,
  pages: string,
  s: Sampling,
  threads?: number,
): Promise<BrowserColumn> {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  try {
    await routePages(context, origin, pages);
    const page = await context.newPage();
    await page.goto(`${origin}/bench.html`);
    await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready');
    const start = await page.evaluate((t) => window.visorBench.start({ threads: t }), threads);
    const photos: Record<string, BrowserRun[]> = {};
    for (const p of BENCH_PHOTOS)
      photos[p.key] = await page.evaluate(([url, sampling]) => window.visorBench.time(url, sampling), [
        `/photos/${p.file}`,
        s,
      ] as const);
    return { start, photos };
  } finally {
    await context.close();
  }
}

/** The app's kiosk page (#/kiosk) on the fake camera: fps and frame ms read once a second after warm-up. */
async function kioskFps(browser: Browser, origin: string, seconds: number): Promise<KioskFps> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 700 } });
  try {
    await context.grantPermissions(['camera'], { origin });
    const page = await context.newPage();
    await page.goto(`${origin}/#/kiosk`);
    const fps = async () => Number((await page.getByTestId('fps').innerText()).split(' ')[0]);
    const deadline = performance.now() + 180_000;
    while ((await fps()) === 0) {
      if (performance.now() > deadline) throw new Error('the kiosk showed no frames within 180 s');
      await page.waitForTimeout(500);
    }
    await page.waitForTimeout(3000); // warm-up: kernels compiled, the service worker's precache done
    const out: KioskFps = {
      fps: [],
      frameMs: [],
      runtime: (await page.getByTestId('runtime').innerText()).replace(/^Engine: /, ''),
      isolated: await page.evaluate(() => crossOriginIsolated),
    };
    for (let i = 0; i < seconds; i++) {
      await page.waitForTimeout(1000);
      out.fps.push(await fps());
      // The timings list sits in a closed <details>: textContent, not innerText.
      const frame = await page.evaluate(() => {
        const dts = [...document.querySelectorAll('.timings dt')];
        return dts.find((dt) => dt.textContent === 'frame')?.nextElementSibling?.textContent ?? '';
      });
      if (frame) out.frameMs.push(parseFloat(frame));
    }
    return out;
  } finally {
    await context.close();
  }
}

export async function runBrowser(s: Sampling, quick: boolean): Promise<void> {
  const keys = BENCH_PHOTOS.map((p) => p.key).join(',');
  const server = await runChild<TimingResult>(
    './engine-child.ts',
    [
      ...['--engine', 'visor', '--plugins', 'none', '--photos', keys],
      ...['--warmup', String(s.warmup), '--runs', String(s.runs), '--budget', String(s.budgetMs)],
    ],
    180_000 + BENCH_PHOTOS.length * (s.budgetMs + 120_000),
  );
  const visor = await startVisor();
  let browser: Browser | undefined;
  const temporary: string[] = [];
  try {
    const built = await buildPages(['bench']);
    temporary.push(built.dir);
    await mkdir(`${built.dir}/photos`);
    for (const p of BENCH_PHOTOS) await copyFile(photoPath(p.file), `${built.dir}/photos/${p.file}`);
    const camera = await fakeCamera(photoPath(PHOTOS[0].file));
    temporary.push(dirname(camera.file));
    browser = await launch(camera.args);
    const auto = await timeInBrowser(browser, visor.origin, built.dir, s);
    const columns = [auto];
    // Where isolation allows threads, also every core (the default leaves half to the page).
    if (auto.start.isolated && auto.start.cores > auto.start.runtime.threads)
      columns.push(await timeInBrowser(browser, visor.origin, built.dir, s, auto.start.cores));
    const kiosk = await kioskFps(browser, visor.origin, quick ? 5 : 10);
    printStages(server, columns, browser.version());
    printKiosk(kiosk);
    await browser.close();
    browser = undefined;
    await runKioskLoops(visor.origin, quick);
  } finally {
    await browser?.close();
    await visor.stop();
    for (const dir of temporary) await rm(dir, { recursive: true, force: true });
  }
}

function printStages(server: TimingResult, columns: BrowserColumn[], chromium: string): void {
  const headers = ['stage'];
  const cols: { decode: Cell[]; stages: Record<string, number>; total: Cell; faces: Cell; runs: Cell }[] = [];
  for (const p of BENCH_PHOTOS) {
    const sv = server.photos.find((x) => x.key === p.key)!;
    headers.push(`${p.key} server`);
    cols.push({
      decode: [median(sv.decode), undefined],
      stages: medians(sv.stages),
      total: median(sv.total),
      faces: String(sv.faces),
      runs: String(sv.total.length),
    });
    for (const c of columns) {
      const runs = c.photos[p.key];
      headers.push(`${p.key} browser ${c.start.runtime.threads}t`);
      cols.push({
        decode: [undefined, median(runs.map((r) => r.decode))],
        stages: medians(runs.map((r) => r.stages)),
        total: median(runs.map((r) => r.total)),
        faces: String(runs[0]?.faces ?? '-'),
        runs: String(runs.length),
      });
    }
  }
  const keys = [...new Set(cols.flatMap((c) => Object.keys(c.stages)))].filter((k) => k !== 'pixels');
  const rows: Cell[][] = [
    ['decode (sharp)', ...cols.map((c) => c.decode[0])],
    ['decode (createImageBitmap, page)', ...cols.map((c) => c.decode[1])],
    ['bitmap → pixels (worker, getImageData)', ...cols.map((c) => c.stages.pixels)],
    ...keys.map((k) => [LABELS[k] ?? k, ...cols.map((c) => c.stages[k])]),
    ['total (decode + analyze + transfer)', ...cols.map((c) => c.total)],
    ['faces found', ...cols.map((c) => c.faces)],
    ['timed runs', ...cols.map((c) => c.runs)],
  ];
  const a = columns[0].start;
  printTable({
    title: 'browser: in-browser engine (Chromium, onnxruntime-web) next to the server engine, ms (median)',
    headers,
    rows,
    notes: [
      `server: ${server.describe}`,
      `browser: Chromium ${chromium} headless, onnxruntime-web ${a.runtime.version}; page cross-origin isolated: ${a.isolated}; ${a.cores} cores seen`,
      ...columns.map(
        (c) =>
          `browser ${c.start.runtime.threads}t: ${c.start.describe}; engine start ${c.start.startMs.toFixed(0)} ms`,
      ),
      'no plugins on either side; per-face stages summed over the faces; the browser total also holds the',
      'transfer of the bitmap to the engine worker and of the result back. Page served by the real server',
      '(server/src/main.ts, own process); the bench page is a test page routed onto its origin.',
    ],
  });
}

function printKiosk(k: KioskFps): void {
  const row = (label: string, v: number[], digits: number): Cell[] => [
    label,
    ...[median(v), quantile(v, 0.1), quantile(v, 0.9)].map((x) => (v.length ? x.toFixed(digits) : '-')),
    v.length ? `${Math.min(...v).toFixed(digits)}-${Math.max(...v).toFixed(digits)}` : '-',
    String(v.length),
  ];
  printTable({
    title: 'browser: kiosk webcam loop (app page #/kiosk, fake camera 640x480, 1 face)',
    headers: ['measure', 'median', 'p10', 'p90', 'range', 'samples'],
    rows: [row('frames per second', k.fps, 1), row('frame ms (grab → result)', k.frameMs, 0)],
    notes: [
      `engine: ${k.runtime}; page cross-origin isolated (real server headers): ${k.isolated}`,
      'fps: the page’s own 2 s sliding count, read once a second after 3 s of warm-up; the kiosk’s default (tracked)',
      'loop against the (empty) device collection, frames drawn with their boxes; the loops compared: next tables.',
    ],
  });
}
