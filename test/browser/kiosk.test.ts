// The kiosk in real Chromium with a fake camera showing person C (009_C.jpg): the face is "unknown" until
// enrolled from the camera through the quality gate, then named on every frame; fps and stage times printed. A
// camera slowed below 4 fps is analysed once per frame it presents, not again at each 250 ms fallback.
import { rm } from 'node:fs/promises';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FRAME_MEASURE } from '../../web/src/kiosk/tracked.js';
import { MIN_LIVENESS } from './camera.js';
import {
  HAVE_CHROMIUM,
  SAMPLES,
  SKIP_REASON,
  buildPages,
  listen,
  openCameraPage,
  pageServer,
  type CameraPage,
  type Served,
} from './harness.js';

/** The folder the pages were built into, removed after the tests. */
let builtDir = '';

const ARTIFACTS = fileURLToPath(new URL('../artifacts/browser', import.meta.url));

describe.skipIf(!HAVE_CHROMIUM)(`kiosk with a fake camera${SKIP_REASON}`, () => {
  let served: Served;
  let camera: CameraPage;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    const built = await buildPages(['kiosk']);
    builtDir = built.dir;
    console.log(`vite build (test pages): ${built.seconds.toFixed(1)} s`);
    served = await listen(pageServer(built.dir));
    camera = await openCameraPage(served.origin, `${SAMPLES}/009_C.jpg`);
    ({ page, errors } = camera);
  });

  afterAll(async () => {
    await camera?.close();
    await served?.close();
    if (builtDir) await rm(builtDir, { recursive: true, force: true });
  });

  const faces = () => page.getByTestId('faces').innerText();

  it('sees an unknown face before anyone is enrolled', async () => {
    await page.goto(`${served.origin}/kiosk.html?collection=kiosk-test&minLiveness=${MIN_LIVENESS}`);
    await expect.poll(faces, { timeout: 90_000, interval: 500 }).toBe('unknown');
    // The backend that ran and why (headless: no WebGPU adapter).
    expect(await page.getByTestId('runtime').innerText()).toMatch(
      /^Engine: wasm, SIMD, \d+ threads? \(webgpu: no adapter/,
    );
    expect(errors).toEqual([]);
  });

  it('enrols person C from the camera through the quality gate, then names them', async () => {
    await page.getByLabel('Enrol a person').fill('Person C');
    await page.getByRole('button', { name: 'Enrol from camera' }).click();
    await expect
      .poll(() => page.getByRole('status').innerText(), { timeout: 60_000, interval: 250 })
      .toMatch(/^Enrolled Person C/);
    await expect.poll(faces, { timeout: 30_000, interval: 250 }).toMatch(/^Person C · \d+%$/);
  });

  it('keeps naming at a measurable frame rate', async () => {
    await page.waitForTimeout(3000);
    const fps = Number((await page.getByTestId('fps').innerText()).split(' ')[0]);
    const stages = await page.locator('.timings').evaluate((dl) => dl.textContent);
    console.log(`kiosk: ${fps} fps; last frame: ${stages}`);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}/kiosk.png` });
    expect(fps).toBeGreaterThan(0);
    expect(await faces()).toMatch(/^Person C/);
    expect(errors).toEqual([]);
  });

  it('analyses no more frames than a camera slower than 4 fps presents', async () => {
    // The camera's track is slowed to 2 fps; the page counts the video's presented frames and the kiosk's frame
    // measures (one per analysis) over the same 3 s. A loop that re-analysed the same frame after 250 ms made ~4.
    const { presented, analysed } = await page.evaluate(async (measure) => {
      const video = document.querySelector('video')!;
      const [track] = (video.srcObject as MediaStream).getVideoTracks();
      await track.applyConstraints({ width: { ideal: 640 }, height: { ideal: 480 }, frameRate: { max: 2 } });
      const counts = { presented: 0, analysed: 0 };
      let watching = true;
      const onFrame = () => {
        if (!watching) return;
        counts.presented++;
        video.requestVideoFrameCallback(onFrame);
      };
      video.requestVideoFrameCallback(onFrame);
      const measures = new PerformanceObserver(
        (l) => (counts.analysed += l.getEntriesByName(measure).length),
      );
      measures.observe({ type: 'measure' });
      await new Promise((r) => setTimeout(r, 3000));
      watching = false;
      measures.disconnect();
      return counts;
    }, FRAME_MEASURE);
    console.log(`kiosk at a 2 fps camera: ${presented} frames presented, ${analysed} analysed in 3 s`);
    // the camera did slow below 4 fps (fewer can only come of a loaded machine), else the check below proves nothing
    expect(presented).toBeGreaterThan(0);
    expect(presented).toBeLessThan(12);
    // one more: the frame being analysed when the count began was presented before it
    expect(analysed).toBeLessThanOrEqual(presented + 1);
    expect(await faces()).toMatch(/^Person C/);
    expect(errors).toEqual([]);
  });
});
