// The kiosk in real Chromium with a fake camera showing person C (009_C.jpg): the face is "unknown" until
// enrolled from the camera through the quality gate, then named on every frame; fps and stage times printed.
import { rm } from 'node:fs/promises';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
});
