// The kiosk synced with a real server: it pulls person C (uploaded through the REST API) and names them from
// the fake camera; with the network gone (context.setOffline) it keeps naming, queues events and enrols from
// the camera; back online, the queued events and the new example reach the server.
import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeCamera, MIN_LIVENESS } from './camera.js';
import { HAVE_CHROMIUM, SAMPLES, SKIP_REASON, buildPages, launch, listen, type Served } from './harness.js';
import { startSyncServer, type SyncServer } from './server.js';

describe.skipIf(!HAVE_CHROMIUM)(`offline kiosk and sync${SKIP_REASON}`, () => {
  let server: SyncServer;
  let served: Served;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const errors: string[] = [];

  const api = (path: string, init: RequestInit = {}) =>
    server.app.request(path, { ...init, headers: { 'x-api-key': server.apiKey, ...init.headers } });
  const faces = () => page.getByTestId('faces').innerText();
  const queued = async () => Number(await page.getByTestId('queued').innerText());
  const serverEvents = async () =>
    (
      (await (await api('/api/v1/recognition/sync/events?limit=1000')).json()) as {
        events: { subject: string }[];
      }
    ).events;
  const serverExamples = async () =>
    ((await (await api('/api/v1/recognition/faces?subject=Person%20C')).json()) as { total_elements: number })
      .total_elements;

  beforeAll(async () => {
    const built = await buildPages(['kiosk']);
    server = await startSyncServer(built.dir);
    served = await listen(server.app);
    const form = new FormData();
    form.append('file', new Blob([await readFile(`${SAMPLES}/009_C.jpg`)], { type: 'image/jpeg' }), 'c.jpg');
    expect(
      (await api('/api/v1/recognition/faces?subject=Person%20C', { method: 'POST', body: form })).status,
    ).toBe(201);
    const camera = await fakeCamera(`${SAMPLES}/009_C.jpg`);
    browser = await launch(camera.args);
    context = await browser.newContext({ viewport: { width: 1100, height: 700 } });
    await context.grantPermissions(['camera'], { origin: served.origin });
    page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await served?.close();
    await server?.close();
  });

  it('pulls the collection and names person C', async () => {
    await page.goto(
      `${served.origin}/kiosk.html?collection=synced&key=${server.apiKey}&syncEvery=2&eventGap=1&minLiveness=${MIN_LIVENESS}`,
    );
    await expect
      .poll(() => page.getByTestId('sync').innerText(), { timeout: 90_000, interval: 500 })
      .toMatch(/^Synced at .*: 1 examples in/);
    await expect.poll(faces, { timeout: 30_000, interval: 500 }).toMatch(/^Person C · \d+%$/);
  });

  it('keeps working offline: names, queues events, enrols', async () => {
    await context.setOffline(true);
    const before = await queued();
    await page.waitForTimeout(2500);
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
    const events = await serverEvents();
    expect(events.length).toBeGreaterThanOrEqual(offlineEvents);
    expect(events.every((e) => e.subject === 'Person C')).toBe(true);
    await expect.poll(queued, { timeout: 10_000 }).toBeLessThan(offlineEvents);
    expect(errors).toEqual([]);
  });
});
