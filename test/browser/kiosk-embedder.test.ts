// A kiosk synced with a service that uses face-api's 128-d embedder (issue 17.1) in real Chromium: the kiosk asks
// the service which embedder it compares (sync/config), its browser engine loads that model, pulls the 128-d
// example uploaded through the REST API and names person C from the fake camera; the server recognises the same
// photo with the same embedder. (A kiosk on the default 512-d engine could not compare the pulled vectors at all.)
// Offline, an enrolment from the camera is shown to the operator as waiting to sync, beside the events; back online
// it is pushed and the count falls to 0.
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncConfig, SyncPull } from '../../shared/sync.js';
import { MIN_LIVENESS } from './camera.js';
import { HAVE_CHROMIUM, SAMPLES, SKIP_REASON } from './harness.js';
import { noticeMatching, recordNotices } from './notices.js';
import { heldExamples, openKioskOnServer, type KioskOnServer, type SyncServer } from './server.js';

describe.skipIf(!HAVE_CHROMIUM)(`kiosk on a face-api 128-d service${SKIP_REASON}`, () => {
  let kiosk: KioskOnServer;
  let server: SyncServer;
  let origin: string;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    kiosk = await openKioskOnServer({ embedder: 'faceapi-recognition' });
    ({ server, origin } = kiosk);
    ({ page, errors } = kiosk.camera);
  });

  afterAll(async () => {
    await kiosk?.close();
  });

  it('the service enrols and recognises with 128-d embeddings and says so to devices', async () => {
    const config = (await (await server.api('/api/v1/recognition/sync/config')).json()) as SyncConfig;
    expect(config).toEqual({
      embedder: 'faceapi-recognition@1',
      model: 'faceapi-recognition',
      dim: 128,
      threshold: null,
    });
    const pull = (await (await server.api('/api/v1/recognition/sync/pull')).json()) as SyncPull;
    expect(pull.embedder).toBe('faceapi-recognition@1');
    expect(pull.examples.map((e) => e.embedding.length)).toEqual([128]);
    const form = new FormData();
    form.append('file', new Blob([await readFile(`${SAMPLES}/009_C.jpg`)], { type: 'image/jpeg' }), 'c.jpg');
    const res = await server.api('/api/v1/recognition/recognize', { method: 'POST', body: form });
    const body = (await res.json()) as { result: { subjects: { subject: string; similarity: number }[] }[] };
    expect(body.result[0].subjects[0].subject).toBe('Person C');
  });

  it('the kiosk loads face-api’s embedder, pulls the collection and names person C', async () => {
    // the first sync's line lasts until the next, 5 s later
    const synced = /^Synced at .*: 1 examples in/;
    const lines = await recordNotices(page, ['sync']);
    await page.goto(
      `${origin}/kiosk.html?collection=small&key=${server.apiKey}&syncEvery=5&minLiveness=${MIN_LIVENESS}`,
    );
    await expect.poll(noticeMatching(lines, synced), { timeout: 90_000, interval: 500 }).toMatch(synced);
    await expect
      .poll(() => page.getByTestId('faces').innerText(), { timeout: 60_000, interval: 500 })
      .toMatch(/^Person C · \d+%$/);
    // the examples the kiosk holds are the service's 128-d ones, under its embedder key
    const held = (await heldExamples(page)).map(({ model, dim }) => ({ model, dim }));
    expect(held).toEqual([{ model: 'faceapi-recognition@1', dim: 128 }]);
    expect(errors).toEqual([]);
  });

  it('shows an enrolment made offline as waiting to sync until it is pushed', async () => {
    const stats = () => page.getByTestId('stats').innerText();
    const waiting = async () => Number(await page.getByTestId('queued-enrolments').innerText());
    expect(await waiting()).toBe(0);
    await kiosk.camera.context.setOffline(true);
    await page.getByLabel('Enrol a person').fill('Person C');
    await page.getByRole('button', { name: 'Enrol from camera' }).click();
    await expect
      .poll(() => page.getByRole('status').innerText(), { timeout: 60_000, interval: 250 })
      .toMatch(/^Enrolled Person C/);
    // the operator is told, whatever syncs are tried meanwhile (offline, they fail)
    await expect.poll(waiting, { timeout: 10_000, interval: 250 }).toBe(1);
    expect(await stats()).toMatch(/ 1 enrolment and \d+ events? waiting to sync /);
    expect((await heldExamples(page)).filter((e) => e.pending)).toHaveLength(1);

    await kiosk.camera.context.setOffline(false);
    await expect.poll(waiting, { timeout: 30_000, interval: 250 }).toBe(0);
    expect(await stats()).toMatch(/ 0 enrolments and \d+ events? waiting to sync /);
    expect((await heldExamples(page)).filter((e) => e.pending)).toEqual([]);
    const pull = (await (await server.api('/api/v1/recognition/sync/pull')).json()) as SyncPull;
    expect(pull.examples.map((e) => e.subject)).toEqual(['Person C', 'Person C']);
    expect(errors).toEqual([]);
  });
});
