// The kiosk's presentation mode (issue 20.6) in real Chromium against the real server, with a fake camera
// showing Alice (006_A.jpg): for the public it is the camera and a large greeting ("Not recognised" before
// Alice is enrolled, "Welcome, Alice" once the kiosk synced her), without the header, the figures or the
// enrolment form; it survives a reload; only the operator PIN hands the page back. Screenshots (0 axe
// violations, no sideways overflow on a phone) go to test/artifacts/kiosk-present.
import { readFile, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAdminServer, type AdminServer } from './admin-server.js';
import { auditedScreenshots } from './axe.js';
import { HAVE_CHROMIUM, SAMPLES, SKIP_REASON, buildApp, openCameraPage, type CameraPage } from './harness.js';

const ARTIFACTS = fileURLToPath(new URL('../artifacts/kiosk-present', import.meta.url));
const CSRF = { 'x-requested-with': 'test' };

describe.skipIf(!HAVE_CHROMIUM)(`kiosk presentation mode${SKIP_REASON}`, () => {
  let webDir: string;
  let server: AdminServer;
  let camera: CameraPage;
  let page: Page;
  let service: { id: string; api_key: string };
  let appId: string;

  const h1 = () => page.locator('h1').textContent();
  const greeting = () => page.getByTestId('greeting').textContent();
  const snap = (name: string) => auditedScreenshots(page, ARTIFACTS, name);
  const admin = async <T>(method: string, path: string, data?: unknown): Promise<T> => {
    const res = await camera.context.request.fetch(`${server.origin}/admin/${path}`, {
      method,
      data,
      headers: CSRF,
    });
    expect(res.ok(), `${method} ${path}: ${await res.text()}`).toBe(true);
    return (await res.json()) as T;
  };

  beforeAll(async () => {
    const built = await buildApp();
    webDir = built.dir;
    server = await startAdminServer(webDir);
    camera = await openCameraPage(server.origin, `${SAMPLES}/006_A.jpg`);
    page = camera.page;
    await rm(ARTIFACTS, { recursive: true, force: true });
    await page.goto(`${server.origin}/#/signup`);
    await page.getByLabel('First name').fill('Grace');
    await page.getByLabel('E-mail').fill('grace@example.com');
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.locator('h1', { hasText: /^Applications$/ }).waitFor();
    appId = (await admin<{ id: string }>('POST', 'apps', { name: 'Front office' })).id;
    service = await admin('POST', `apps/${appId}/services`, { name: 'Front door', type: 'RECOGNITION' });
  }, 600_000);

  afterAll(async () => {
    await camera?.close();
    await server?.close();
    if (webDir) await rm(webDir, { recursive: true, force: true });
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
    for (const file of ['001_A.jpg', '002_A.jpg', '003_A.jpg']) {
      const form = new FormData();
      form.append('file', new Blob([await readFile(`${SAMPLES}/${file}`)], { type: 'image/jpeg' }), file);
      const res = await fetch(`${server.origin}/api/v1/recognition/faces?subject=Alice`, {
        method: 'POST',
        headers: { 'x-api-key': service.api_key },
        body: form,
      });
      expect(res.status, `${file}: ${await res.clone().text()}`).toBe(201);
    }
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
    expect(camera.errors).toEqual([]);
  });
});
