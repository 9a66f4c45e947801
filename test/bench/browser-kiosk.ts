// Section `browser`, kiosk loops: the tracked loop (web/src/kiosk/tracked.ts) against the old every-frame loop
// (`?loop=every-frame`) in the same run, on fake cameras: fps with 1 face (009_C) and 3 faces (011_3), and the
// time from a face entering the frame (nobody 3 s, then person A 3 s, in a loop) to its name being shown.
// Also per loop: the stages' mean milliseconds per frame (the kiosk's `visor:kiosk-frame` User Timing measures) and
// the CPU the browser's processes used (CDP SystemInfo.getProcessInfo), as a share of one core.
// The kiosk runs on the test page kiosk-track.html (enrols A from 002_A.jpg first) routed onto the server's origin
// (section `browser`), or served by the test pages' own server (section `kiosk`, these tables alone).
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { fakeCameraScenes } from '../browser/camera.js';
import { FRAME_MEASURE } from '../../web/src/kiosk/tracked.js';
import { SAMPLES, buildPages, launch, listen, pageServer, routePages } from '../browser/harness.js';
import { median, quantile } from './stats.js';
import { ms, printTable, type Cell } from './table.js';

const LOOPS = ['tracked', 'every-frame'] as const;
type Loop = (typeof LOOPS)[number];

interface Window {
  fps: number[];
  /** Frames counted over the window, per second. */
  rate: number;
  /** Mean milliseconds per frame of each stage (a stage absent from a frame counts 0 there). */
  stages: Record<string, number>;
  /** CPU seconds per wall second (1 = one core) of the renderer processes, and of all the browser's. */
  cpuPage: number;
  cpuAll: number;
}

/** One naming: from A entering to A's name shown, split at the frame that named A. */
interface Naming {
  /** Milliseconds from the first camera frame showing A to the kiosk showing A's name. */
  total: number;
  /** From A entering to the start of the frame that named A (frames before it included). */
  before: number;
  /** Frames the loop started between A entering and the naming frame (a scan that missed, a stale grab). */
  framesBefore: number;
  /** The naming frame's stages (ms) and its own duration. */
  stages: Record<string, number>;
  frame: number;
  /** From the naming frame's end to the name in the faces list (the page's rendering). */
  after: number;
}

interface LoopFigures {
  one?: Window;
  three?: Window;
  toName: Naming[];
}

/** CPU seconds so far of the browser's renderer processes and of all its processes. */
async function cpuTimes(browser: Browser): Promise<{ page: number; all: number }> {
  const cdp = await browser.newBrowserCDPSession();
  try {
    const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as {
      processInfo: { type: string; cpuTime: number }[];
    };
    let page = 0;
    let all = 0;
    for (const p of processInfo) {
      all += p.cpuTime;
      if (p.type === 'renderer') page += p.cpuTime;
    }
    return { page, all };
  } finally {
    await cdp.detach();
  }
}

async function openKiosk(browser: Browser, origin: string, dir: string, loop: Loop): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 700 } });
  await context.grantPermissions(['camera'], { origin });
  await routePages(context, origin, dir);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(`${origin}/kiosk-track.html?collection=bench&loop=${loop}&enrol=A:/photos/002_A.jpg`);
  try {
    await page.waitForFunction(() => document.getElementById('setup')?.textContent === 'enrolled', null, {
      timeout: 180_000,
    });
    await page.waitForFunction(
      () => document.querySelector('[data-testid=fps]')?.textContent !== '0.0 fps',
      null,
      { timeout: 180_000 },
    );
  } catch (e) {
    const state = await page
      .evaluate(() => document.body.innerText.slice(0, 600))
      .catch(() => 'no page text');
    throw new Error(`${(e as Error).message}; the page shows: ${state}; errors: ${errors.join(' | ')}`);
  }
  await page.waitForTimeout(3000); // warm-up
  return page;
}

/** Over `seconds`: the page's fps once a second, the frames and their stages, and the CPU the browser used. */
async function measureWindow(browser: Browser, page: Page, seconds: number): Promise<Window> {
  await page.evaluate(() => {
    const w = window as unknown as { frames_: Record<string, number>[] };
    w.frames_ = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.frames_.push((e as PerformanceMeasure).detail);
    }).observe({ entryTypes: ['measure'] });
  });
  const cpu0 = await cpuTimes(browser);
  const t0 = performance.now();
  const fps: number[] = [];
  for (let i = 0; i < seconds; i++) {
    await page.waitForTimeout(1000);
    fps.push(Number((await page.getByTestId('fps').innerText()).split(' ')[0]));
  }
  const frames = await page.evaluate(
    () => (window as unknown as { frames_: Record<string, number>[] }).frames_,
  );
  const wall = (performance.now() - t0) / 1000;
  const cpu1 = await cpuTimes(browser);
  const stages: Record<string, number> = {};
  for (const f of frames) for (const [k, v] of Object.entries(f)) stages[k] = (stages[k] ?? 0) + v;
  for (const k of Object.keys(stages)) stages[k] /= Math.max(1, frames.length);
  return {
    fps,
    rate: frames.length / wall,
    stages,
    cpuPage: (cpu1.page - cpu0.page) / wall,
    cpuAll: (cpu1.all - cpu0.all) / wall,
  };
}

/**
 * Watches the video element's frames (requestVideoFrameCallback: a frame that is not the plain grey of the
 * empty scene has A in it), the faces list (MutationObserver) and the kiosk's frame measures, for `seconds`; each
 * entry's time to name, split at the frame that named A.
 */
async function timeToName(page: Page, seconds: number): Promise<Naming[]> {
  // tsx (esbuild keepNames) wraps named inner functions in __name(), which the page lacks
  await page.evaluate('globalThis.__name ??= (f) => f');
  return page.evaluate(
    async ({ ms, measure }) => {
      const video = document.querySelector('video')!;
      const list = document.querySelector('[data-testid=faces]')!;
      const probe = new OffscreenCanvas(32, 24).getContext('2d', { willReadFrequently: true })!;
      const entries: number[] = [];
      const names: number[] = [];
      const frames: { start: number; end: number; stages: Record<string, number> }[] = [];
      let present = false;
      let first = true;
      /** A was in view at the very first frame watched: the first entry is not one. */
      let midway = false;
      const onFrame = () => {
        probe.drawImage(video, 0, 0, 32, 24);
        const px = probe.getImageData(0, 0, 32, 24).data;
        let off = 0;
        for (let i = 0; i < px.length; i += 4)
          off = Math.max(off, Math.abs(px[i] - 128), Math.abs(px[i + 1] - 128));
        const now = off > 24;
        if (now && !present) entries.push(performance.now());
        if (first) midway = now;
        first = false;
        present = now;
        video.requestVideoFrameCallback(onFrame);
      };
      video.requestVideoFrameCallback(onFrame);
      const measures = new PerformanceObserver((l) => {
        for (const e of l.getEntries())
          if (e.name === measure)
            frames.push({
              start: e.startTime,
              end: e.startTime + e.duration,
              stages: (e as PerformanceMeasure).detail as Record<string, number>,
            });
      });
      measures.observe({ entryTypes: ['measure'] });
      let named = false;
      const observer = new MutationObserver(() => {
        const isA = (list.textContent ?? '').trim().startsWith('A');
        if (isA && !named) names.push(performance.now());
        named = isA;
      });
      observer.observe(list, { subtree: true, childList: true, characterData: true });
      await new Promise((r) => setTimeout(r, ms));
      observer.disconnect();
      measures.disconnect();
      // each entry (but one seen mid-way at the start) to the first naming after it, before the next entry
      const out: Naming[] = [];
      entries.forEach((e, i) => {
        const n = names.find((t) => t >= e && (i + 1 >= entries.length || t < entries[i + 1]));
        if (n === undefined || (i === 0 && midway)) return;
        // the naming frame: the last one to end before the name showed
        const f = frames.filter((x) => x.end <= n + 0.5).at(-1);
        out.push({
          total: n - e,
          before: f ? f.start - e : NaN,
          framesBefore: frames.filter((x) => x.start >= e && f && x.start < f.start).length,
          stages: f?.stages ?? {},
          frame: f ? f.end - f.start : NaN,
          after: f ? n - f.end : NaN,
        });
      });
      return out;
    },
    { ms: seconds * 1000, measure: FRAME_MEASURE },
  );
}

/** The bench's fake cameras run at a webcam's rate: the tracked loop analyses each camera frame once. */
const CAMERA_FPS = 30;

async function withCamera<T>(
  scenes: { photo: string | null; seconds: number }[],
  run: (browser: Browser) => Promise<T>,
): Promise<T> {
  const camera = await fakeCameraScenes(scenes, CAMERA_FPS);
  const browser = await launch(camera.args);
  try {
    return await run(browser);
  } finally {
    await browser.close();
    await rm(dirname(camera.file), { recursive: true, force: true });
  }
}

/** Section `kiosk`: these tables alone, the pages served by the test pages' server (no Visor server). */
export async function runKiosk(quick: boolean): Promise<void> {
  const built = await buildPages(['kiosk-track']);
  const served = await listen(pageServer(built.dir));
  try {
    await runKioskLoops(served.origin, quick, built);
  } finally {
    await served.close();
  }
}

export async function runKioskLoops(origin: string, quick: boolean, pages?: { dir: string }): Promise<void> {
  const built = pages ?? (await buildPages(['kiosk-track']));
  try {
    await mkdir(`${built.dir}/photos`);
    await copyFile(`${SAMPLES}/002_A.jpg`, `${built.dir}/photos/002_A.jpg`);
    const seconds = quick ? 5 : 10;
    const figures = {} as Record<Loop, LoopFigures>;
    for (const loop of LOOPS) figures[loop] = { toName: [] };
    for (const [key, photo] of [
      ['one', '009_C.jpg'],
      ['three', '011_3.jpg'],
    ] as const)
      await withCamera([{ photo: `${SAMPLES}/${photo}`, seconds: 1 }], async (browser) => {
        for (const loop of LOOPS) {
          const page = await openKiosk(browser, origin, built.dir, loop);
          figures[loop][key] = await measureWindow(browser, page, seconds);
          await page.context().close();
        }
      });
    await withCamera(
      [
        { photo: null, seconds: 3 },
        { photo: `${SAMPLES}/001_A.jpg`, seconds: 3 },
      ],
      async (browser) => {
        for (const loop of LOOPS) {
          const page = await openKiosk(browser, origin, built.dir, loop);
          figures[loop].toName = await timeToName(page, quick ? 20 : 40);
          await page.context().close();
        }
      },
    );
    printLoops(figures);
    printStages(figures);
    printNaming(figures);
  } finally {
    await rm(built.dir, { recursive: true, force: true });
  }
}

const totals = (n: Naming[]) => n.map((x) => x.total);

function printLoops(f: Record<Loop, LoopFigures>): void {
  const stat = (v: number[] | undefined, digits: number): Cell =>
    v?.length
      ? `${median(v).toFixed(digits)} (${quantile(v, 0.1).toFixed(digits)}-${quantile(v, 0.9).toFixed(digits)})`
      : '-';
  const ratio = (a: number | undefined, b: number | undefined): Cell =>
    a !== undefined && b !== undefined && b > 0 ? `${(a / b).toFixed(2)}x` : '-';
  const med = (v: number[] | undefined) => (v?.length ? median(v) : undefined);
  const t = f.tracked;
  const e = f['every-frame'];
  const pct = (v: number | undefined) => (v === undefined ? '-' : `${Math.round(v * 100)} %`);
  const row = (label: string, pick: (w: Window) => number, show: (v: number | undefined) => Cell) =>
    (['one', 'three'] as const).map((k): Cell[] => [
      `${label}, ${k === 'one' ? '1 face (009_C)' : '3 faces (011_3)'}`,
      show(t[k] && pick(t[k])),
      show(e[k] && pick(e[k])),
      ratio(t[k] && pick(t[k]), e[k] && pick(e[k])),
      '',
    ]);
  printTable({
    title: 'browser: kiosk loops, tracked against every-frame (same run, same Chromium), median (p10-p90)',
    headers: ['measure', 'tracked', 'every-frame', 'tracked / every-frame', 'samples'],
    rows: [
      ...(['one', 'three'] as const).map((k): Cell[] => [
        `fps, ${k === 'one' ? '1 face (009_C)' : '3 faces (011_3)'}`,
        stat(t[k]?.fps, 1),
        stat(e[k]?.fps, 1),
        ratio(med(t[k]?.fps), med(e[k]?.fps)),
        String(t[k]?.fps.length ?? 0),
      ]),
      ...row(
        'frames/s counted',
        (w) => w.rate,
        (v) => (v === undefined ? '-' : v.toFixed(1)),
      ),
      ...row(
        'capacity, frames/s (1000 / ms per frame)',
        (w) => 1000 / Math.max(1e-3, (w.stages.frame ?? 0) + (w.stages.draw ?? 0) + (w.stages.grab ?? 0)),
        (v) => (v === undefined ? '-' : v.toFixed(1)),
      ),
      [
        'time to name, ms (A enters)',
        stat(totals(t.toName), 0),
        stat(totals(e.toName), 0),
        ratio(med(totals(t.toName)), med(totals(e.toName))),
        `${t.toName.length} / ${e.toName.length}`,
      ],
      ...row('CPU, page (renderer)', (w) => w.cpuPage, pct),
      ...row('CPU, all Chromium', (w) => w.cpuAll, pct),
    ],
    notes: [
      'fps: the page’s own 2 s sliding count, read once a second after 3 s of warm-up (fake camera, 640x480, 30 fps;',
      'the tracked loop waits for each new camera frame, so 30 is its ceiling: work per camera frame, not per turn);',
      'frames/s counted: the kiosk’s frame measures over the same window; capacity: what the loop could do if frames',
      'came faster (1000 / the mean ms of a frame’s grab, analysis and draw). CPU: CDP SystemInfo.getProcessInfo,',
      'CPU seconds per second (100 % = one core) of the renderer (page + engine worker) and of every Chromium process.',
      'tracked (web/src/kiosk/tracked.ts): each track followed on a 128 px crop by the front BlazeFace alone; the whole',
      'frame scanned by the detector alone every 10 frames, when nothing is tracked or after a loss; the engine on a',
      'crop, given the detection (verification, landmarks, embedding), for a new track, a 25 % better one or a 5 s old',
      'identity, one a frame. No whole-frame copy: crops are drawn from the video element into small reused canvases.',
      'time to name: from the first video frame showing A (requestVideoFrameCallback; the empty scene is plain grey)',
      'to A’s name in the faces list (MutationObserver); camera: nobody 3 s, A 3 s, looped; A enrolled from 002_A.',
    ],
  });
}

/** Mean milliseconds per frame of each stage, per loop and scene (a stage a frame skipped counts 0 there). */
function printStages(f: Record<Loop, LoopFigures>): void {
  const cols: [string, Window | undefined][] = [
    ['tracked, 1 face', f.tracked.one],
    ['every-frame, 1 face', f['every-frame'].one],
    ['tracked, 3 faces', f.tracked.three],
    ['every-frame, 3 faces', f['every-frame'].three],
  ];
  const keys = [...new Set(cols.flatMap(([, w]) => Object.keys(w?.stages ?? {})))];
  printTable({
    title: 'browser: kiosk stages, mean ms per frame (same run)',
    headers: ['stage', ...cols.map(([c]) => c)],
    rows: keys.map((k) => [k, ...cols.map(([, w]) => (w ? ms(w.stages[k] ?? 0) : '-'))]),
    notes: [
      'grab: createImageBitmap of the whole video frame (every-frame); crop: the tracked loop’s crops drawn from the',
      'video into small canvases and read (crops.ts); scan/follow: page round trip of a locate request (…Worker: inside',
      'the worker); embed: the engine on a new/improving track’s crop given its detection (verifier, landmarks68,',
      'calculator: inside the worker; no detector pass); frame: the analysis; draw: the overlay; tracks, born,',
      'rejected, embeds: counts (tracks alive, new, dropped by the verifier, embeddings), not ms; pixels: bitmap to',
      'pixels in the worker.',
    ],
  });
}

/** Time to name split at the frame that named A: median ms of each part over the namings, per loop. */
function printNaming(f: Record<Loop, LoopFigures>): void {
  const parts = (n: Naming): Record<string, number> => ({
    'total (A enters to name shown)': n.total,
    'before the naming frame': n.before,
    'frames started before it': n.framesBefore,
    'naming frame': n.frame,
    ...Object.fromEntries(Object.entries(n.stages).map(([k, v]) => [`  ${k}`, v])),
    'after it (page renders the name)': n.after,
  });
  const cols = LOOPS.map((l) => f[l].toName.map(parts));
  const keys = [...new Set(cols.flat().flatMap((p) => Object.keys(p)))];
  const cell = (ps: Record<string, number>[], k: string): Cell => {
    const v = ps.map((p) => p[k] ?? 0).filter((x) => Number.isFinite(x));
    return v.length ? ms(median(v)) : '-';
  };
  printTable({
    title: 'browser: time to name, split at the frame that named A, median ms (same run)',
    headers: ['part', ...LOOPS],
    rows: keys.map((k) => [k, ...cols.map((ps) => cell(ps, k))]),
    notes: [
      'before: from the first video frame showing A to the start of the kiosk frame that named A (the frame under way,',
      'a stale pre-grabbed frame, a scan that missed); the naming frame’s stages as in the stages table (embed: the',
      'engine on the new track’s crop; landmarks68, calculator…: inside the worker); after: the name reaching the DOM.',
    ],
  });
}
