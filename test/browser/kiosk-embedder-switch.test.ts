// A running kiosk follows its service's embedder switch in real Chromium: synced with a face-api 128-d service it
// names person C; the service switches to the default 512-d embedder (PUT .../embedder's job); on its next sync the
// kiosk says it is changing engine, pulls the collection again, loads the new model and names person C with it.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_EMBEDDER } from '../../shared/engine/embedders.js';
import { MIN_LIVENESS } from './camera.js';
import { HAVE_CHROMIUM, SKIP_REASON } from './harness.js';
import { noticeMatching, recordNotices } from './notices.js';
import { heldExamples, openKioskOnServer, type KioskOnServer, type SyncServer } from './server.js';

describe.skipIf(!HAVE_CHROMIUM)(`kiosk following its service's embedder switch${SKIP_REASON}`, () => {
  let kiosk: KioskOnServer;
  let server: SyncServer;
  let page: Page;

  /** The examples the kiosk holds: model key and size. */
  const held = async () => (await heldExamples(page)).map((e) => `${e.model} ${e.dim}`);
  const faces = () => page.getByTestId('faces').innerText();

  beforeAll(async () => {
    kiosk = await openKioskOnServer({ embedder: 'faceapi-recognition' });
    server = kiosk.server;
    page = kiosk.camera.page;
  }, 300_000);

  afterAll(async () => {
    await kiosk?.close();
  });

  it('names person C with the 128-d engine, then with the 512-d one once the service switched', async () => {
    await page.goto(
      `${kiosk.origin}/kiosk.html?collection=switch&key=${server.apiKey}&syncEvery=3&minLiveness=${MIN_LIVENESS}`,
    );
    await expect.poll(faces, { timeout: 120_000, interval: 500 }).toMatch(/^Person C · \d+%$/);
    expect(await held()).toEqual(['faceapi-recognition@1 128']);

    // every notice and sync line shown: the sync line saying the engine changed lasts only until the next sync, 3 s
    // later, and the notice only while the model loads
    const shown = await recordNotices(page, ['engine-change', 'sync']);
    const svc = await server.services.resolveKey(server.apiKey, 'recognition');
    await server.services.changeEmbedder(svc.id, DEFAULT_EMBEDDER);
    await expect
      .poll(async () => (await server.services.embedderJob(svc.id))?.state, { timeout: 120_000 })
      .toBe('done');

    const switched = new RegExp(`^Now comparing with ${DEFAULT_EMBEDDER}\\. Synced at .*: 1 examples in`);
    await expect.poll(noticeMatching(shown, switched), { timeout: 120_000, interval: 500 }).toMatch(switched);
    // the operator saw the change while the new model loaded, and the notice is gone
    const loading = `The service now compares faces with ${DEFAULT_EMBEDDER}: loading it and pulling the collection again…`;
    expect(await shown()).toContain(loading);
    await page.getByTestId('engine-change').waitFor({ state: 'detached', timeout: 10_000 });
    expect(await held()).toEqual([`${DEFAULT_EMBEDDER}@1 512`]);
    await expect.poll(faces, { timeout: 60_000, interval: 500 }).toMatch(/^Person C · \d+%$/);
    expect(kiosk.camera.errors).toEqual([]);
  }, 420_000);
});
