// Issue 20.5 and 20.9 in real Chromium against the real server (PGlite, real models, real photos): one
// navigation model (applications → service → dashboard, collection, test, kiosk, events, settings, with the
// service's sub-navigation on each, the current page marked, addresses that survive a reload; Connect and the
// pages a key allows for someone without an account), only the controls a role may use, the Test result in
// view after Send at desktop (1280x800) and phone (390x844) size, and axe-core with 0 violations on every page
// at both sizes. Screenshots go to test/artifacts/navigation.
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, PHONE } from '../web/browser.js';
import { openAppSession, type AppSession } from './app-session.js';
import { auditedScreenshots } from './axe.js';
import { HAVE_CHROMIUM, SAMPLES, SKIP_REASON } from './harness.js';

const ARTIFACTS = fileURLToPath(new URL('../artifacts/navigation', import.meta.url));
const MEMBER_PASSWORD = 'a long password 1';

interface Service {
  id: string;
  api_key: string;
  name: string;
}

describe.skipIf(!HAVE_CHROMIUM)(
  `one navigation model, results in view, axe on every page${SKIP_REASON}`,
  () => {
    let session: AppSession;
    let server: AppSession['server'];
    let page: Page;
    let appId: string;
    let front: Service;
    let compare: Service;
    let lobby: Service;

    const sample = (name: string) => `${SAMPLES}/${name}`;
    const h1 = () => session.h1();
    const snap = (name: string) => auditedScreenshots(page, ARTIFACTS, name);
    const subNav = () => page.getByRole('navigation', { name: /^Service / });
    /** The sub-navigation's links as "label" or "label*" for the current one. */
    const tabs = () =>
      subNav()
        .getByRole('link')
        .evaluateAll((as) =>
          as.map((a) => a.textContent!.trim() + (a.getAttribute('aria-current') ? '*' : '')),
        );
    const mainLinks = () =>
      page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link')
        .evaluateAll((as) =>
          as.map((a) => a.textContent!.trim() + (a.getAttribute('aria-current') ? '*' : '')),
        );
    const admin = <T>(method: string, path: string, data?: unknown) => session.admin<T>(method, path, data);
    async function login(email: string, password: string) {
      await page.getByLabel('E-mail').fill(email);
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Log in' }).click();
    }
    async function logout() {
      await page.goto(`${server.origin}/#/account`);
      await page.getByRole('button', { name: 'Log out' }).click();
      await expect.poll(h1).toBe('Log in');
    }
    /**
     * Where the first face box of the Test page lies in the window (CSS pixels): the canvas holds the image at
     * its own resolution (drawFaces), scaled to its CSS box.
     */
    const firstBox = async () => {
      // the answer's JSON comes with the response (the focus may come first, from a render before it)
      await page.locator('pre[aria-label="Response"]').waitFor();
      return page.evaluate(() => {
        const json = JSON.parse(document.querySelector('pre[aria-label="Response"]')!.textContent!);
        const box = json.result[0].box as { y_min: number; y_max: number };
        const canvas = document.querySelector('canvas')!;
        const c = canvas.getBoundingClientRect();
        const k = c.width / canvas.width;
        return { top: c.top + box.y_min * k, bottom: c.top + box.y_max * k };
      });
    };

    beforeAll(async () => {
      session = await openAppSession({ artifacts: ARTIFACTS });
      ({ server, page } = session);
      await session.signUp();
      appId = (await admin<{ id: string }>('POST', 'apps', { name: 'Front office' })).id;
      const service = (name: string, type: string) =>
        admin<Service>('POST', `apps/${appId}/services`, { name, type });
      front = await service('Front door', 'RECOGNITION');
      compare = await service('Compare', 'VERIFICATION');
      lobby = await service('Lobby camera', 'DETECTION');
      await session.addExamples(front.api_key, 'Alice', ['001_A.jpg', '002_A.jpg', '003_A.jpg']);
      // Ada administers the application, Bob uses it.
      for (const [email, first, role] of [
        ['ada@example.com', 'Ada', 'ADMINISTRATOR'],
        ['bob@example.com', 'Bob', 'USER'],
      ]) {
        await admin('POST', 'users', { email, first_name: first, password: MEMBER_PASSWORD });
        await admin('POST', `apps/${appId}/members`, { email, role });
      }
    }, 600_000);

    afterAll(async () => {
      await session?.close();
    });

    it('leads from the applications to a service and through its pages with one sub-navigation', async () => {
      await page.goto(`${server.origin}/#/apps`);
      await expect.poll(h1).toBe('Applications');
      // A logged-in user's main links: no global Collection, Test or Kiosk acting on "the key in use".
      expect(await mainLinks()).toEqual(['Applications*', 'Users', 'Account']);
      await page.getByRole('link', { name: 'Front office' }).click();
      await expect.poll(h1).toBe('Front office');
      // The owner's own row: no role change and no Leave (the server refuses both), and why.
      const mine = page.locator('.members li', { hasText: 'Grace' });
      await expect.poll(() => mine.textContent()).toContain('make another member the owner first');
      expect(await mine.locator('select, button').count()).toBe(0);
      expect(
        await page
          .getByLabel('Role of Ada')
          .locator('option')
          .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value)),
      ).toEqual(['OWNER', 'ADMINISTRATOR', 'USER']);
      await snap('application');
      await page.getByRole('link', { name: 'Dashboard of Front door' }).click();
      await expect.poll(h1).toBe('Front door · dashboard');
      await expect.poll(tabs).toEqual(['Dashboard*', 'Collection', 'Test', 'Kiosk', 'Events', 'Settings']);
      expect(await mainLinks()).toEqual(['Applications*', 'Users', 'Account']);
      await snap('service-dashboard');

      const visit = async (tab: string, title: string | RegExp, route: string) => {
        await subNav().getByRole('link', { name: tab, exact: true }).click();
        await expect.poll(h1).toMatch(title);
        expect(page.url()).toBe(
          `${server.origin}/#/${route}/${appId}/${front.id}${tab === 'Settings' ? '/settings' : ''}`,
        );
        expect((await tabs()).filter((t) => t.endsWith('*'))).toEqual([`${tab}*`]);
        // Focus moves to the new page's heading, for screen readers (Dashboard → Settings included).
        await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
        expect(await page.locator('header .service').textContent()).toContain('Front office · Front door');
      };
      await visit('Collection', /^Face collection$/, 'collection');
      await expect.poll(() => page.locator('#examples-title').textContent()).toMatch(/\(3\)/);
      await snap('service-collection');
      await visit('Test', /^Test · Recognize faces$/, 'test');
      await snap('service-test-empty');
      await visit('Events', /^Front door · kiosk events$/, 'events');
      await visit('Settings', /^Front door · settings$/, 'service');
      expect(await page.getByLabel('Match threshold (min_similarity)').count()).toBe(1);
      await snap('service-settings');
      await visit('Kiosk', /^Kiosk/, 'kiosk');
      // The operator's kiosk page (no camera in this browser: it says so).
      await snap('service-kiosk');
      // The address names the service: a reload (a bookmark) opens the same service, with the sub-navigation.
      await subNav().getByRole('link', { name: 'Test', exact: true }).click();
      await expect.poll(h1).toBe('Test · Recognize faces');
      await page.reload();
      await expect.poll(h1).toBe('Test · Recognize faces');
      await expect.poll(() => page.title()).toBe('Test · Front office · Front door · Visor');
      await expect.poll(tabs).toContain('Test*');
      await page.getByRole('link', { name: /Back to the application/ }).click();
      await expect.poll(h1).toBe('Front office');
    });

    it('offers each service type only its pages, and opens a service from an address in a new tab', async () => {
      await page.goto(`${server.origin}/#/service/${appId}/${lobby.id}`);
      await expect.poll(h1).toBe('Lobby camera · dashboard');
      await expect.poll(tabs).toEqual(['Dashboard*', 'Test']);
      // A detection service keeps no collection: no subject or image counts.
      expect(await page.getByTestId('subjects').count()).toBe(0);
      await page.goto(`${server.origin}/#/service/${appId}/${compare.id}/settings`);
      await expect.poll(h1).toBe('Compare · settings');
      await expect.poll(tabs).toEqual(['Dashboard', 'Test', 'Settings*']);
      // A fresh tab of the same session (sessionStorage empty): the address alone opens the service.
      const other = await session.context.newPage();
      await other.goto(`${server.origin}/#/test/${appId}/${compare.id}`);
      await expect.poll(() => other.locator('h1').textContent()).toBe('Test · Verify: compare two photos');
      expect(await other.locator('header .service').textContent()).toContain('Front office · Compare');
      // A service that is not there says so and leads back.
      await other.goto(`${server.origin}/#/test/${appId}/00000000-0000-4000-8000-000000000000`);
      await other.getByRole('alert').waitFor();
      expect(await other.getByRole('alert').textContent()).toContain('Opening the service failed');
      expect(await other.getByRole('link', { name: 'Back to your applications' }).count()).toBe(1);
      await auditedScreenshots(other, ARTIFACTS, 'service-missing');
      await other.close();
    });

    it('works on a phone: one header row, the sub-navigation visible without the menu and wrapping', async () => {
      await page.setViewportSize(PHONE);
      await page.goto(`${server.origin}/#/service/${appId}/${front.id}`);
      await expect.poll(h1).toBe('Front door · dashboard');
      // The header is one row: the service is named by the sub-navigation, not again in the header.
      expect((await page.locator('header').boundingBox())!.height).toBeLessThan(80);
      const nav = (await subNav().boundingBox())!;
      expect(nav.width).toBeLessThanOrEqual(PHONE.width);
      for (const link of await subNav().getByRole('link').all()) {
        const b = (await link.boundingBox())!;
        expect(b.x).toBeGreaterThanOrEqual(0);
        expect(b.x + b.width).toBeLessThanOrEqual(PHONE.width);
        expect(b.y + b.height).toBeLessThan(PHONE.height / 2);
      }
      await subNav().getByRole('link', { name: 'Collection', exact: true }).click();
      await expect.poll(h1).toBe('Face collection');
      expect(await page.getByRole('button', { name: 'Menu' }).getAttribute('aria-expanded')).toBe('false');
      await page.setViewportSize(DESKTOP);
    });

    it('shows the Test result in view after Send, beside the image on a desktop and scrolled to on a phone', async () => {
      for (const size of [DESKTOP, PHONE]) {
        await page.setViewportSize(size);
        await page.goto(`${server.origin}/#/test/${appId}/${front.id}`);
        // a fresh Test page: the same address again alone would keep the last answer (and its caption)
        await page.reload();
        await expect.poll(h1).toBe('Test · Recognize faces');
        await page.setInputFiles('#pick-0', sample('006_A.jpg'));
        await expect
          .poll(() => page.locator('figcaption').textContent(), { timeout: 60_000 })
          .toMatch(/1 face: Alice/);
        // Send again from the top of the page, where the user picked the photo.
        await page.evaluate(() => window.scrollTo({ top: 0, behavior: 'instant' }));
        await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
        await page.getByRole('button', { name: 'Send again' }).click();
        await expect
          .poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid')), {
            timeout: 60_000, // the server's answer, on a busy machine
          })
          .toBe('results');
        let box = await firstBox();
        expect(box.top, `${size.width}px: box top`).toBeGreaterThanOrEqual(0);
        expect(box.bottom, `${size.width}px: box bottom`).toBeLessThanOrEqual(size.height);
        // A new photo while the page is scrolled to its end (the JSON): the answer is brought into view.
        await page.evaluate(() => window.scrollTo({ top: document.body.scrollHeight, behavior: 'instant' }));
        await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
        expect((await firstBox()).bottom).toBeLessThan(0);
        await page.setInputFiles('#pick-0', sample('002_A.jpg'));
        await expect
          .poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid')), {
            timeout: 60_000,
          })
          .toBe('results');
        box = await firstBox();
        expect(box.top, `${size.width}px: box top after scrolling`).toBeGreaterThanOrEqual(0);
        expect(box.bottom, `${size.width}px: box bottom after scrolling`).toBeLessThanOrEqual(size.height);
        if (size === DESKTOP) {
          // Beside the options, not below them.
          const results = (await page.getByTestId('results').boundingBox())!;
          const options = (await page.locator('fieldset', { hasText: 'Options' }).boundingBox())!;
          expect(results.x).toBeGreaterThan(options.x + options.width - 1);
        }
        await page.screenshot({
          path: `${ARTIFACTS}/test-result-in-view.${size === DESKTOP ? 'desktop' : 'phone'}.jpg`,
          quality: 80,
        });
      }
      // Verification: the verdict is in view on the phone.
      await page.goto(`${server.origin}/#/test/${appId}/${compare.id}`);
      await expect.poll(h1).toBe('Test · Verify: compare two photos');
      await page.setInputFiles('#pick-0', sample('001_A.jpg'));
      await page.setInputFiles('#pick-1', sample('006_A.jpg'));
      const verdict = page.getByTestId('verdict');
      await expect.poll(() => verdict.count(), { timeout: 60_000 }).toBe(1);
      const v = (await verdict.boundingBox())!;
      expect(v.y).toBeGreaterThanOrEqual(0);
      expect(v.y + v.height).toBeLessThanOrEqual(PHONE.height);
      await page.screenshot({ path: `${ARTIFACTS}/test-verdict-in-view.phone.jpg`, quality: 80 });
      await page.setViewportSize(DESKTOP);
      await snap('service-test-verdict');
    });

    it('offers an administrator no control over the owner, and a user no control at all', async () => {
      await logout();
      await login('ada@example.com', MEMBER_PASSWORD);
      await expect.poll(h1).toBe('Applications');
      await page.getByRole('link', { name: 'Front office' }).click();
      await expect.poll(h1).toBe('Front office');
      const row = (name: string) => page.locator('.members li', { hasText: name });
      await expect.poll(() => row('Grace').count()).toBe(1);
      expect(await row('Grace').locator('select, button').count()).toBe(0);
      // Her own row: she may leave, not change her own role.
      expect(await row('Ada').locator('select').count()).toBe(0);
      expect(await row('Ada').getByRole('button', { name: 'Leave' }).count()).toBe(1);
      const options = await page
        .getByLabel('Role of Bob')
        .locator('option')
        .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
      expect(options).toEqual(['ADMINISTRATOR', 'USER']);
      expect(await page.getByRole('button', { name: 'Delete application' }).count()).toBe(0);
      await snap('application-administrator');

      await logout();
      await login('bob@example.com', MEMBER_PASSWORD);
      await expect.poll(h1).toBe('Applications');
      expect(await mainLinks()).toEqual(['Applications*', 'Account']);
      await page.getByRole('link', { name: 'Front office' }).click();
      await expect.poll(h1).toBe('Front office');
      await expect.poll(() => page.locator('tbody tr').count()).toBe(3);
      for (const control of ['Rename', 'Clone', 'New key', 'Delete', 'Create service', 'Invite'])
        expect(await page.getByRole('button', { name: control }).count(), control).toBe(0);
      expect(await page.locator('.members select').count()).toBe(0);
      expect(await row('Bob').getByRole('button', { name: 'Leave' }).count()).toBe(1);
      await snap('application-user');
      await page.getByRole('link', { name: 'Dashboard of Front door' }).click();
      await subNav().getByRole('link', { name: 'Settings', exact: true }).click();
      await expect.poll(h1).toBe('Front door · settings');
      expect(await page.getByLabel('Match threshold (min_similarity)').count()).toBe(0);
      expect(await page.locator('main').textContent()).toContain(
        'Owners and administrators of the application',
      );
      await snap('service-settings-user');
      await logout();
    });

    it('keeps Connect for someone with a key and no account: its pages and a way to change the key', async () => {
      await page.goto(`${server.origin}/#/connect`);
      await expect.poll(h1).toBe('Connect to a service');
      expect(await mainLinks()).toEqual(['Applications', 'Connect*']);
      await snap('connect');
      await page.getByLabel('Service API key').fill(front.api_key);
      await page.getByLabel('Name').fill('Door key');
      await page.getByRole('button', { name: 'Connect', exact: true }).click();
      await expect.poll(h1).toBe('Face collection');
      await expect.poll(tabs).toEqual(['Collection*', 'Test', 'Kiosk']);
      expect(await mainLinks()).toEqual(['Applications', 'Connect*']);
      expect(page.url()).toBe(`${server.origin}/#/collection`);
      await expect.poll(() => page.locator('#examples-title').textContent()).toMatch(/\(3\)/);
      await snap('key-collection');
      await subNav().getByRole('link', { name: 'Test', exact: true }).click();
      await expect.poll(h1).toBe('Test · Recognize faces');
      await page.setInputFiles('#pick-0', sample('009_C.jpg'));
      await expect
        .poll(() => page.locator('figcaption').textContent(), { timeout: 60_000 })
        .toMatch(/unknown/);
      await snap('key-test');
      await page.getByRole('link', { name: 'Change key' }).click();
      await expect.poll(h1).toBe('Connect to a service');
      await expect.poll(() => page.getByRole('heading', { name: 'Keys on this device' }).count()).toBe(1);
      await snap('connect-saved');
    });

    it('has 0 axe violations on the signed-out pages and the page for an unknown address', async () => {
      for (const [route, title, name] of [
        ['login', 'Log in', 'login'],
        ['signup', 'Create an account', 'signup'],
        ['forgot-password', /^Forgot/, 'forgot-password'],
        ['reset-password?token=not-a-token', 'Choose a new password', 'reset-password'],
        ['confirm-email?token=not-a-token', 'Confirm your e-mail address', 'confirm-email'],
        ['nowhere', 'Page not found', 'not-found'],
      ] as const) {
        await page.goto(`${server.origin}/#/${route}`);
        await expect.poll(h1).toMatch(title);
        // the link is checked with the server on load: its answer is part of the page audited
        if (route.startsWith('confirm-email')) await page.getByRole('alert').waitFor();
        await snap(name);
      }
      // The page for an unknown address leads to where a visitor starts.
      expect(await page.getByRole('link', { name: 'Go to your applications' }).count()).toBe(1);
    });

    it('ran without script errors', () => {
      expect(session.errors).toEqual([]);
    });
  },
);
