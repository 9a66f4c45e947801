// No enrolment is lost to an embedder switch, in real Chromium: a kiosk of a face-api 128-d service goes offline and
// enrols person C from the camera (queued with a 128-d vector); the service switches to the default 512-d embedder;
// back online, the kiosk loads the new model, re-embeds the waiting enrolment from the face photo it kept, says so,
// and pushes it: the server holds a 512-d example of person C and recognises C's photo as C (the kiosk kept only
// the 160 px thumbnail; the server embeds the full photo). A waiting example without a photo stays queued and the
// operator is told to enrol that person again.
import { readFile, rm } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_EMBEDDER } from '../../shared/engine/embedders.js';
import { MIN_LIVENESS } from './camera.js';
import {
  HAVE_CHROMIUM,
  SAMPLES,
  SKIP_REASON,
  buildPages,
  cosine,
  listen,
  openCameraPage,
  type CameraPage,
  type Served,
} from './harness.js';
import { noticeMatching, recordNotices } from './notices.js';
import { heldExamples, startSyncServer, type SyncServer } from './server.js';
import { testDecode } from '../storage/test-engine.js';

describe.skipIf(!HAVE_CHROMIUM)(`enrolments waiting through an embedder switch${SKIP_REASON}`, () => {
  let builtDir = '';
  let server: SyncServer;
  let served: Served;
  let camera: CameraPage;
  let page: Page;

  /** The examples the kiosk holds: subject, model key, size and whether it waits to be pushed. */
  const held = async () =>
    (await heldExamples(page)).map((e) => `${e.subject} ${e.model} ${e.dim}${e.pending ? ' pending' : ''}`);
  /** The server's examples of its current model, as a device pulls them. */
  const pulled = async () =>
    (await (await server.api('/api/v1/recognition/sync/pull')).json()) as {
      embedder: string;
      examples: { image_id: string; subject: string; embedding: number[] }[];
    };
  const onServer = async () => {
    const body = await pulled();
    return body.examples.map((e) => `${e.subject} ${body.embedder} ${e.embedding.length}`).sort();
  };

  beforeAll(async () => {
    const built = await buildPages(['kiosk']);
    builtDir = built.dir;
    server = await startSyncServer(built.dir, { embedder: 'faceapi-recognition' });
    served = await listen(server.app);
    await server.upload('Person B', '007_B.jpg'); // someone else the server could name instead
    camera = await openCameraPage(served.origin, `${SAMPLES}/009_C.jpg`);
    page = camera.page;
  }, 300_000);

  afterAll(async () => {
    await camera?.close();
    await served?.close();
    await server?.close();
    if (builtDir) await rm(builtDir, { recursive: true, force: true });
  });

  it('re-embeds an enrolment made offline with the old model and pushes it with the new one', async () => {
    // the first sync's line lasts until the next, 3 s later
    const firstSync = /^Synced at .*: 1 examples in/;
    const lines = await recordNotices(page, ['sync']);
    await page.goto(
      `${served.origin}/kiosk.html?collection=waiting&key=${server.apiKey}&syncEvery=3&minLiveness=${MIN_LIVENESS}`,
    );
    await expect
      .poll(noticeMatching(lines, firstSync), { timeout: 120_000, interval: 500 })
      .toMatch(firstSync);

    await camera.context.setOffline(true);
    await page.getByLabel('Enrol a person').fill('Person C');
    await page.getByRole('button', { name: 'Enrol from camera' }).click();
    await expect
      .poll(() => page.getByRole('status').innerText(), { timeout: 60_000, interval: 250 })
      .toMatch(/^Enrolled Person C/);
    // and one waiting without a photo (none kept): it cannot be re-embedded, so it must stay, named to the operator
    await page.evaluate(
      () =>
        new Promise<void>((resolve, reject) => {
          const open = indexedDB.open('visor');
          open.onsuccess = () => {
            const store = open.result.transaction('examples', 'readwrite').objectStore('examples');
            const get = store.getAll();
            get.onsuccess = () => {
              const c = (get.result as { subject: string }[]).find((e) => e.subject === 'Person C')!;
              const put = store.put({
                ...c,
                id: crypto.randomUUID(),
                subject: 'Person D',
                thumbnail: undefined,
              });
              put.onsuccess = () => resolve();
              put.onerror = () => reject(put.error);
            };
          };
        }),
    );
    expect((await held()).sort()).toEqual([
      'Person B faceapi-recognition@1 128',
      'Person C faceapi-recognition@1 128 pending',
      'Person D faceapi-recognition@1 128 pending',
    ]);

    const svc = await server.services.resolveKey(server.apiKey, 'recognition');
    await server.services.changeEmbedder(svc.id, DEFAULT_EMBEDDER);
    await expect
      .poll(async () => (await server.services.embedderJob(svc.id))?.state, { timeout: 120_000 })
      .toBe('done');
    expect(await onServer()).toEqual([`Person B ${DEFAULT_EMBEDDER}@1 512`]);

    // every text of the notice over the camera and of the sync line, for what the operator was shown
    const shown = await recordNotices(page, ['engine-change', 'sync']);
    await camera.context.setOffline(false);
    await expect
      .poll(onServer, { timeout: 120_000, interval: 500 })
      .toEqual([`Person B ${DEFAULT_EMBEDDER}@1 512`, `Person C ${DEFAULT_EMBEDDER}@1 512`]);
    const synced = new RegExp(
      `^Now comparing with ${DEFAULT_EMBEDDER}\\. 1 waiting enrolment re-embedded for ${DEFAULT_EMBEDDER}\\. 1 waiting enrolment could not be re-embedded \\(no photo of the face was kept\\): enrol Person D again\\. Synced at .*: 1 examples in, 1 examples and \\d+ events out\\.$`,
    );
    await expect
      .poll(async () => (await shown()).some((n) => synced.test(n)), { timeout: 30_000, interval: 250 })
      .toBe(true);
    // (the photo-less one takes no time: its step may never be drawn)
    const progress = new RegExp(
      `^Re-embedding 2 waiting enrolments for ${DEFAULT_EMBEDDER}… \\([12] of 2\\)$`,
    );
    const notices = await shown();
    expect(
      notices.some((n) => progress.test(n)),
      notices.join(' | '),
    ).toBe(true);
    expect((await held()).sort()).toEqual([
      `Person B ${DEFAULT_EMBEDDER}@1 512`,
      `Person C ${DEFAULT_EMBEDDER}@1 512`,
      'Person D faceapi-recognition@1 128 pending',
    ]);

    // the vector re-embedded from the thumbnail is a usable one: near the server's vector of the full photo, far
    // from B's, and the full photo is recognised as C on the server
    const full = await server.engine.analyze(await testDecode(await readFile(`${SAMPLES}/009_C.jpg`)), {
      embed: true,
      embedder: DEFAULT_EMBEDDER,
    });
    const vectors = new Map((await pulled()).examples.map((e) => [e.subject, e.embedding]));
    const toC = cosine(vectors.get('Person C')!, full.faces[0].embedding!);
    const toB = cosine(vectors.get('Person C')!, vectors.get('Person B')!);
    console.log(`cosine of the re-embedded C: to C's full photo ${toC.toFixed(3)}, to B ${toB.toFixed(3)}`);
    expect(toC).toBeGreaterThan(0.6);
    expect(toB).toBeLessThan(0.3);
    const form = new FormData();
    form.append('file', new Blob([await readFile(`${SAMPLES}/009_C.jpg`)], { type: 'image/jpeg' }), 'c.jpg');
    const res = await server.api('/api/v1/recognition/recognize', { method: 'POST', body: form });
    const body = (await res.json()) as { result: { subjects: { subject: string; similarity: number }[] }[] };
    console.log(`009_C.jpg against the re-embedded example: ${JSON.stringify(body.result[0]?.subjects)}`);
    expect(body.result[0]?.subjects[0]?.subject).toBe('Person C');
    expect(body.result[0]?.subjects[0]?.similarity).toBeGreaterThan(0.5);
    expect(camera.errors).toEqual([]);
  }, 600_000);

  it('keeps an enrolment queued when its push is refused because the service switched meanwhile', async () => {
    const svc = await server.services.resolveKey(server.apiKey, 'recognition');
    // the first push with an example waits until the service has switched back to face-api (a real race)
    let raced = false;
    await page.route('**/api/v1/recognition/sync/push', async (route) => {
      const body = JSON.parse(route.request().postData() ?? '{}') as { examples?: unknown[] };
      if (!raced && body.examples?.length) {
        raced = true;
        await server.services.changeEmbedder(svc.id, 'faceapi-recognition');
        await expect
          .poll(async () => (await server.services.embedderJob(svc.id))?.state, { timeout: 120_000 })
          .toBe('done');
      }
      await route.continue();
    });
    await page.getByLabel('Enrol a person').fill('Person C');
    await page.getByRole('button', { name: 'Enrol from camera' }).click();
    await expect
      .poll(() => page.getByRole('status').innerText(), { timeout: 60_000, interval: 250 })
      .toMatch(/^Enrolled Person C/);
    expect(await held()).toContain(`Person C ${DEFAULT_EMBEDDER}@1 512 pending`);

    // refused (512-d, the service compares 128-d now), kept, re-embedded with face-api on the next sync, pushed; D,
    // of face-api again, is pushed as it is (the first C: re-embedded by the server's job from its pushed photo)
    await expect.poll(() => raced, { timeout: 60_000 }).toBe(true);
    const all = ['B', 'C', 'C', 'D'].map((p) => `Person ${p} faceapi-recognition@1 128`);
    await expect.poll(onServer, { timeout: 120_000, interval: 500 }).toEqual(all);
    await expect.poll(async () => (await held()).sort(), { timeout: 30_000, interval: 500 }).toEqual(all);
    await page.unroute('**/api/v1/recognition/sync/push');
    expect(camera.errors).toEqual([]);
  }, 300_000);
});
