// The kiosk's tracked loop in real Chromium with a fake camera that plays person A (001_A.jpg), nobody, person B
// (007_B.jpg), nobody, in a loop: with A and B enrolled from other photos of them, the kiosk names A, then no one,
// then B, and never names A while B is in view (nor B while A is): a track's name never crosses to another person.
// A and B are held as the server engine embeds those photos (as a synced example would be): the page needs no
// second browser engine to enrol them, nor to decode a 20-megapixel photo.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeCameraScenes } from './camera.js';
import {
  HAVE_CHROMIUM,
  SAMPLES,
  SKIP_REASON,
  buildPages,
  launch,
  listen,
  pageServer,
  type Served,
} from './harness.js';
import type { GivenExamples } from './pages/kiosk-track.js';
import { testDecode, testEngine } from '../storage/test-engine.js';

const temporary: string[] = [];

/** Runs of equal consecutive values. */
const runs = (xs: string[]) => xs.filter((x, i) => i === 0 || x !== xs[i - 1]);

describe.skipIf(!HAVE_CHROMIUM)(`kiosk tracking: A, nobody, B${SKIP_REASON}`, () => {
  let served: Served;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    const built = await buildPages(['kiosk-track']);
    temporary.push(built.dir);
    await mkdir(`${built.dir}/photos`);
    // enrolled from other photos of A and B than the camera shows, embedded by the worker's server engine
    const engine = await testEngine();
    const given: GivenExamples = { model: engine.embedderId, examples: [] };
    for (const [subject, file] of [
      ['A', '002_A.jpg'],
      ['B', '008_B.jpg'],
    ]) {
      const r = await engine.analyze(await testDecode(await readFile(`${SAMPLES}/${file}`)), {
        embed: true,
        limit: 1,
      });
      if (!r.faces[0]?.embedding) throw new Error(`no face in ${file}`);
      given.examples.push({ subject, embedding: Array.from(r.faces[0].embedding) });
    }
    await writeFile(`${built.dir}/photos/examples.json`, JSON.stringify(given));
    served = await listen(pageServer(built.dir));
    const camera = await fakeCameraScenes([
      { photo: `${SAMPLES}/001_A.jpg`, seconds: 4 },
      { photo: null, seconds: 3 },
      { photo: `${SAMPLES}/007_B.jpg`, seconds: 4 },
      { photo: null, seconds: 3 },
    ]);
    temporary.push(dirname(camera.file));
    browser = await launch(camera.args);
    const context = await browser.newContext({ viewport: { width: 1100, height: 700 } });
    await context.grantPermissions(['camera'], { origin: served.origin });
    page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
  });

  afterAll(async () => {
    await browser?.close();
    await served?.close();
    for (const dir of temporary) await rm(dir, { recursive: true, force: true });
  });

  it('names A, then no one, then B, and never A while B is in view', async () => {
    await page.goto(`${served.origin}/kiosk-track.html?collection=track&examples=/photos/examples.json`);
    await expect
      .poll(() => page.locator('#setup').innerText(), { timeout: 120_000, interval: 500 })
      .toBe('enrolled');
    const fps = () => page.getByTestId('fps').innerText();
    await expect.poll(fps, { timeout: 120_000, interval: 500 }).not.toBe('0.0 fps');
    // What the kiosk shows, sampled until a whole loop of the video (14 s) has been seen twice, or 90 s.
    const seen: string[] = [];
    const start = Date.now();
    while (Date.now() - start < 90_000) {
      const text = (await page.getByTestId('faces').innerText()).trim();
      seen.push(text.replace(/ · \d+%$/, ''));
      const names = runs(seen.filter((s) => s !== 'unknown'));
      if (names.join('>').match(/A>No face>B>No face>A>No face>B/)) break;
      await page.waitForTimeout(100);
    }
    const shown = runs(seen.filter((s) => s !== 'unknown'));
    console.log(`kiosk (tracked) showed: ${shown.join(' > ')}; ${await fps()}`);
    expect(shown.join('>')).toMatch(/A>No face>B/);
    for (let i = 1; i < shown.length; i++)
      expect(`${shown[i - 1]}>${shown[i]}`, 'a name changed without the face leaving').not.toMatch(
        /^(A>B|B>A)$/,
      );
    expect(shown.every((s) => ['A', 'B', 'No face'].includes(s))).toBe(true);
    expect(errors).toEqual([]);
  });
});
