// The kiosk's presentation mode (issue 20.6) in real Chromium against the real server, with a fake camera
// showing Alice (006_A.jpg): for the public it is the camera and a large greeting ("Not recognised" before
// Alice is enrolled, "Welcome, Alice" once the kiosk synced her), without the header, the figures or the
// enrolment form; it survives a reload; only the operator PIN hands the page back. Screenshots (0 axe
// violations, no sideways overflow on a phone) go to test/artifacts/kiosk-present.
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAppSession, type AppSession } from './app-session.js';
import { auditedScreenshots } from './axe.js';
import { HAVE_CHROMIUM, SKIP_REASON } from './harness.js';

const ARTIFACTS = fileURLToPath(new URL('../artifacts/kiosk-present', import.meta.url));

describe.skipIf(!HAVE_CHROMIUM)(`kiosk presentation mode${SKIP_REASON}`, () => {
  let session: AppSession;
  let server: AppSession['server'];
  let page: Page;
  let service: { id: string; api_key: string };
  let appId: string;

  const h1 = () => session.h1();
  const greeting = () => page.getByTestId('greeting').textContent();
  const snap = (name: string) => auditedScreenshots(page, ARTIFACTS, name);
  const admin = <T>(method: string, path: string, data?: unknown) => session.admin<T>(method, path, data);

  beforeAll(async () => {
    session = await openAppSession({ artifacts: ARTIFACTS, camera: '006_A.jpg' });
    ({ server, page } = session);
    await session.signUp();
    appId = (await admin<{ id: string }>('POST', 'apps', { name: 'Front office' })).id;
    service = await admin('POST', `apps/${appId}/services`, { name: 'Front door', type: 'RECOGNITION' });
  }, 600_000);

  afterAll(async () => {
    await session?.close();
  });

  it('shows the public "Not recognised" for a stranger, without header, figures or enrolment', async () => {
    // The service's key in use (through its row), then the kiosk: Alice is not enrolled yet.
    await page.goto(`${server.origin}/#/app/${appId}`);
    await page.getByRole('link', { name: 'Test Front door' }).click();
    await expect.poll(h1).toMatch(/^Test · /);
    await page.getByRole('navigation').getByRole('link', { name: 'Kiosk' }).click();
    await expect
      .poll(() => page.getByTestId('faces').innerText(), { timeout: 240_000, interval: 500 })
      .toBe('unknown');
    await page.getByLabel('Operator PIN (optional)').fill('12');
    await page.getByRole('button', { name: 'Start presentation mode' }).click();
    expect(await page.getByRole('alert').textContent()).toContain('4 to 8 digits');
    await page.getByLabel('Operator PIN (optional)').fill('2468');
    await page.getByRole('button', { name: 'Start presentation mode' }).click();

    await expect.poll(greeting, { timeout: 30_000 }).toBe('Not recognised');
    expect(await page.locator('header').count()).toBe(0);
    expect(await page.getByText('Skip to content').count()).toBe(0);
    for (const hidden of ['stats', 'faces', 'runtime'])
      expect(await page.getByTestId(hidden).count(), hidden).toBe(0);
    expect(await page.getByLabel('Enrol a person').count()).toBe(0);
    expect(await page.getByText('Timings').count()).toBe(0);
    await snap('not-recognised');
  }, 360_000);

  it('welcomes Alice by name once she is enrolled, and stays presenting across a reload', async () => {
    await session.addExamples(service.api_key, 'Alice', ['001_A.jpg', '002_A.jpg', '003_A.jpg']);
    // A kiosk that restarts (here: a reload) syncs on start and comes back presenting.
    await page.reload();
    await expect.poll(greeting, { timeout: 120_000, interval: 500 }).toBe('Welcome, Alice');
    expect(await page.locator('header').count()).toBe(0);
    await snap('welcome');
  }, 360_000);

  it('hands the page back to the operator only with the PIN; enrolment is there again', async () => {
    expect(await page.getByTestId('greeting').count(), 'presenting').toBe(1);
    await page.getByRole('button', { name: 'Operator' }).click();
    await page.getByLabel('Operator PIN').fill('1111');
    await page.getByRole('button', { name: 'Unlock' }).click();
    expect(await page.getByRole('alert').textContent()).toBe('Wrong PIN.');
    expect(await page.locator('header').count()).toBe(0);
    await snap('operator-pin');
    await page.getByLabel('Operator PIN').fill('2468');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.locator('header').waitFor();
    expect(await page.getByTestId('greeting').count()).toBe(0);
    expect(await page.getByLabel('Enrol a person').count()).toBe(1);
    await expect.poll(() => page.getByTestId('faces').innerText()).toMatch(/^Alice · \d+%$/);
    // Left for good: a reload shows the operator's page.
    await page.reload();
    await page.getByLabel('Enrol a person').waitFor();
    expect(await page.getByTestId('greeting').count()).toBe(0);
  });

  it('ran without script errors', () => {
    expect(session.errors).toEqual([]);
  });
});
