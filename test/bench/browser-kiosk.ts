// Section `browser`, kiosk loops: the tracked loop (web/src/kiosk/tracked.ts) against the old every-frame loop
// (`?loop=every-frame`) in the same run, on fake cameras: fps with 1 face (009_C) and 3 faces (011_3), and the
// time from a face entering the frame (nobody 3 s, then person A 3 s, in a loop) to its name being shown.
// The kiosk runs on the test page kiosk-track.html (enrols A from 002_A.jpg first) routed onto the server's origin.
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { fakeCameraScenes } from '../browser/camera.js';
import { SAMPLES, buildPages, launch, routePages } from '../browser/harness.js';
import { median, quantile } from './stats.js';
import { printTable, type Cell } from './table.js';

const LOOPS = ['tracked', 'every-frame'] as const;
type Loop = (typeof LOOPS)[number];

interface LoopFigures {
  fps1: number[];
  fps3: number[];
  /** Milliseconds from the first camera frame showing A to the kiosk showing A's name. */
  toName: number[];
}

async function openKiosk(browser: Browser, origin: string, dir: string, loop: Loop): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 700 } });
  await context.grantPermissions(['camera'], { origin });
  await routePages(context, origin, dir);
  const page = await context.newPage();
  await page.goto(`${origin}/kiosk-track.html?collection=bench&loop=${loop}&enrol=A:/photos/002_A.jpg`);
  await page.waitForFunction(() => document.getElementById('setup')?.textContent === 'enrolled', null, {
    timeout: 180_000,
  });
  await page.waitForFunction(
    () => document.querySelector('[data-testid=fps]')?.textContent !== '0.0 fps',
    null,
    {
      timeout: 180_000,
    },
  );
  await page.waitForTimeout(3000); // warm-up
  return page;
}

async function sampleFps(page: Page, seconds: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < seconds; i++) {
    await page.waitForTimeout(1000);
    out.push(Number((await page.getByTestId('fps').innerText()).split(' ')[0]));
  }
  return out;
}

/**
 * Watches the video element's frames (requestVideoFrameCallback: a frame that is not the plain grey of the
 * empty scene has A in it) and the faces list (MutationObserver), for `seconds`; each entry's time to name.
 */
async function timeToName(page: Page, seconds: number): Promise<number[]> {
  // tsx (esbuild keepNames) wraps named inner functions in __name(), which the page lacks
  await page.evaluate('globalThis.__name ??= (f) => f');
  return page.evaluate(async (ms) => {
    const video = document.querySelector('video')!;
    const list = document.querySelector('[data-testid=faces]')!;
    const probe = new OffscreenCanvas(32, 24).getContext('2d', { willReadFrequently: true })!;
    const entries: number[] = [];
    const names: number[] = [];
    let present = false;
    const onFrame = () => {
      probe.drawImage(video, 0, 0, 32, 24);
      const px = probe.getImageData(0, 0, 32, 24).data;
      let off = 0;
      for (let i = 0; i < px.length; i += 4)
        off = Math.max(off, Math.abs(px[i] - 128), Math.abs(px[i + 1] - 128));
      const now = off > 24;
      if (now && !present) entries.push(performance.now());
      present = now;
      video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
    let named = false;
    const observer = new MutationObserver(() => {
      const isA = (list.textContent ?? '').trim().startsWith('A');
      if (isA && !named) names.push(performance.now());
      named = isA;
    });
    observer.observe(list, { subtree: true, childList: true, characterData: true });
    await new Promise((r) => setTimeout(r, ms));
    observer.disconnect();
    // each entry (but one seen mid-way at the start) to the first naming after it, before the next entry
    const out: number[] = [];
    entries.forEach((e, i) => {
      const n = names.find((t) => t >= e && (i + 1 >= entries.length || t < entries[i + 1]));
      if (n !== undefined && (i > 0 || !present)) out.push(n - e);
    });
    return out;
  }, seconds * 1000);
}

async function withCamera<T>(
  scenes: { photo: string | null; seconds: number }[],
  run: (browser: Browser) => Promise<T>,
): Promise<T> {
  const camera = await fakeCameraScenes(scenes);
  const browser = await launch(camera.args);
  try {
    return await run(browser);
  } finally {
    await browser.close();
    await rm(dirname(camera.file), { recursive: true, force: true });
  }
}

export async function runKioskLoops(origin: string, quick: boolean): Promise<void> {
  const built = await buildPages(['kiosk-track']);
  try {
    await mkdir(`${built.dir}/photos`);
    await copyFile(`${SAMPLES}/002_A.jpg`, `${built.dir}/photos/002_A.jpg`);
    const seconds = quick ? 5 : 10;
    const figures = {} as Record<Loop, LoopFigures>;
    for (const loop of LOOPS) figures[loop] = { fps1: [], fps3: [], toName: [] };
    for (const [key, photo] of [
      ['fps1', '009_C.jpg'],
      ['fps3', '011_3.jpg'],
    ] as const)
      await withCamera([{ photo: `${SAMPLES}/${photo}`, seconds: 1 }], async (browser) => {
        for (const loop of LOOPS) {
          const page = await openKiosk(browser, origin, built.dir, loop);
          figures[loop][key] = await sampleFps(page, seconds);
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
  } finally {
    await rm(built.dir, { recursive: true, force: true });
  }
}

function printLoops(f: Record<Loop, LoopFigures>): void {
  const stat = (v: number[], digits: number): Cell =>
    v.length
      ? `${median(v).toFixed(digits)} (${quantile(v, 0.1).toFixed(digits)}-${quantile(v, 0.9).toFixed(digits)})`
      : '-';
  const ratio = (a: number[], b: number[]): Cell =>
    a.length && b.length && median(b) > 0 ? `${(median(a) / median(b)).toFixed(2)}x` : '-';
  printTable({
    title: 'browser: kiosk loops, tracked against every-frame (same run, same Chromium), median (p10-p90)',
    headers: ['measure', 'tracked', 'every-frame', 'tracked / every-frame', 'samples'],
    rows: [
      [
        'fps, 1 face (009_C)',
        stat(f.tracked.fps1, 1),
        stat(f['every-frame'].fps1, 1),
        ratio(f.tracked.fps1, f['every-frame'].fps1),
        String(f.tracked.fps1.length),
      ],
      [
        'fps, 3 faces (011_3)',
        stat(f.tracked.fps3, 1),
        stat(f['every-frame'].fps3, 1),
        ratio(f.tracked.fps3, f['every-frame'].fps3),
        String(f.tracked.fps3.length),
      ],
      [
        'time to name, ms (A enters)',
        stat(f.tracked.toName, 0),
        stat(f['every-frame'].toName, 0),
        ratio(f.tracked.toName, f['every-frame'].toName),
        `${f.tracked.toName.length} / ${f['every-frame'].toName.length}`,
      ],
    ],
    notes: [
      'fps: the page’s own 2 s sliding count, read once a second after 3 s of warm-up (fake camera, 640x480).',
      'tracked: full-frame detection every 10 frames or after a track is lost, the detector on a crop around each',
      'track otherwise, an embedding when a track appears, improves by 25 % or is 3 s old (web/src/kiosk/tracked.ts).',
      'time to name: from the first video frame showing A (requestVideoFrameCallback; the empty scene is plain grey)',
      'to A’s name in the faces list (MutationObserver); camera: nobody 3 s, A 3 s, looped; A enrolled from 002_A.',
    ],
  });
}
