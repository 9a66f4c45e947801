// The kiosk synced with a real server: it pulls person C (uploaded through the REST API) and names them from
// the fake camera; with the network gone (context.setOffline) it keeps naming, queues events and enrols from
// the camera; back online, the queued events and the new example reach the server.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIN_LIVENESS } from './camera.js';
import { HAVE_CHROMIUM, SKIP_REASON } from './harness.js';
import { noticeMatching, recordNotices } from './notices.js';
import { openKioskOnServer, type KioskOnServer, type SyncServer } from './server.js';

describe.skipIf(!HAVE_CHROMIUM)(`offline kiosk and sync${SKIP_REASON}`, () => {
  let kiosk: KioskOnServer;
  let server: SyncServer;
  let origin: string;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];

  const faces = () => page.getByTestId('faces').innerText();
  const queued = async () => Number(await page.getByTestId('queued').innerText());
  const serverExamples = async () =>
    (
      (await (await server.api('/api/v1/recognition/faces?subject=Person%20C')).json()) as {
        total_elements: number;
      }
    ).total_elements;

  beforeAll(async () => {
    kiosk = await openKioskOnServer();
    ({ server, origin } = kiosk);
    ({ context, page, errors } = kiosk.camera);
  });

  afterAll(async () => {
    await kiosk?.close();
  });

  it('pulls the collection and names person C', async () => {
    // the first sync's line lasts until the next, 2 s later
    const synced = /^Synced at .*: 1 examples in/;
    const lines = await recordNotices(page, ['sync']);
    await page.goto(
      `${origin}/kiosk.html?collection=synced&key=${server.apiKey}&syncEvery=2&eventGap=1&minLiveness=${MIN_LIVENESS}`,
    );
    await expect.poll(noticeMatching(lines, synced), { timeout: 90_000, interval: 500 }).toMatch(synced);
    await expect.poll(faces, { timeout: 30_000, interval: 500 }).toMatch(/^Person C · \d+%$/);
  });

  it('keeps working offline: names, queues events, enrols', async () => {
    await context.setOffline(true);
    const before = await queued();
    await expect.poll(queued, { timeout: 20_000 }).toBeGreaterThan(before);
    expect(await faces()).toMatch(/^Person C/);
    await page.getByLabel('Enrol a person').fill('Person C');
    await page.getByRole('button', { name: 'Enrol from camera' }).click();
    await expect
      .poll(() => page.locator('.enrol [role="status"]').innerText(), { timeout: 60_000 })
      .toMatch(/^Enrolled Person C/);
    await expect.poll(() => page.getByTestId('sync').innerText(), { timeout: 10_000 }).toMatch(/^Not synced/);
    expect(await serverExamples()).toBe(1);
  });

  it('pushes the queued events and the new example once back online', async () => {
    const offlineEvents = await queued();
    expect(offlineEvents).toBeGreaterThan(0);
    await context.setOffline(false);
    await expect.poll(serverExamples, { timeout: 30_000, interval: 500 }).toBe(2);
    // one push carries both, but the server stores its examples before its events: a read between them saw none
    await expect
      .poll(async () => (await server.events()).length, { timeout: 30_000, interval: 500 })
      .toBeGreaterThanOrEqual(offlineEvents);
    const events = await server.events();
    expect(events.length).toBeGreaterThanOrEqual(offlineEvents);
    expect(events.every((e) => e.subject === 'Person C')).toBe(true);
    await expect.poll(queued, { timeout: 10_000 }).toBeLessThan(offlineEvents);
    expect(errors).toEqual([]);
  });
});
