// Issue 20's missing screens in real Chromium against the real server (PGlite, real models): the users page
// (global roles, a password reset without e-mail, deletion; only what the role may do is offered), deleting
// your own account, and axe-core with 0 violations on each page. Screenshots go to test/artifacts/screens.
import { mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, PHONE, watchErrors } from '../web/browser.js';
import { startAdminServer, type AdminServer } from './admin-server.js';
import { axeViolations } from './axe.js';
import { HAVE_CHROMIUM, SKIP_REASON, buildApp, launch } from './harness.js';

const ARTIFACTS = fileURLToPath(new URL('../artifacts/screens', import.meta.url));
const CSRF = { 'x-requested-with': 'test' };
const OWNER = { email: 'grace@example.com', password: 'correct horse battery' };

interface User {
  id: string;
  email: string;
}

describe.skipIf(!HAVE_CHROMIUM)(`users, account deletion, accessibility${SKIP_REASON}`, () => {
  let webDir: string;
  let server: AdminServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let bob: User;
  let carol: User;
  /** The password the owner's reset gave Carol. */
  let carolPassword = '';

  const h1 = () => page.locator('h1').textContent();
  const admin = async <T>(method: string, path: string, data?: unknown): Promise<T> => {
    const res = await context.request.fetch(`${server.origin}/admin/${path}`, {
      method,
      data,
      headers: CSRF,
    });
    expect(res.ok(), `${method} ${path}: ${await res.text()}`).toBe(true);
    return (res.status() === 204 ? undefined : await res.json()) as T;
  };
  /** Logs in through a fresh request context (not the page's cookies); resolves with the status. */
  const tryLogin = async (email: string, password: string) => {
    const r = await browser.newContext();
    const res = await r.request.post(`${server.origin}/admin/login`, {
      data: { email, password },
      headers: CSRF,
    });
    await r.close();
    return res.status();
  };
  /** Screenshots at desktop and phone size; no sideways overflow on the phone and 0 axe violations at both. */
  async function snap(name: string) {
    mkdirSync(ARTIFACTS, { recursive: true });
    expect(await axeViolations(page), `${name} (desktop)`).toEqual([]);
    await page.screenshot({ path: `${ARTIFACTS}/${name}.desktop.png`, fullPage: true });
    await page.setViewportSize(PHONE);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    await page.screenshot({ path: `${ARTIFACTS}/${name}.phone.png`, fullPage: true });
    const phone = await axeViolations(page);
    await page.setViewportSize(DESKTOP);
    expect(overflow, `${name}: page wider than the phone`).toBeLessThanOrEqual(0);
    expect(phone, `${name} (phone)`).toEqual([]);
  }
  async function login(email: string, password: string) {
    await page.goto(`${server.origin}/#/login`);
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(h1).toBe('Applications');
  }
  async function logout() {
    await page.goto(`${server.origin}/#/account`);
    await page.getByRole('button', { name: 'Log out' }).click();
    await expect.poll(h1).toBe('Log in');
  }

  beforeAll(async () => {
    const built = await buildApp();
    webDir = built.dir;
    server = await startAdminServer(webDir);
    browser = await launch();
    context = await browser.newContext({ viewport: DESKTOP });
    page = await context.newPage();
    errors = watchErrors(page, [/Failed to load resource/]);
    await rm(ARTIFACTS, { recursive: true, force: true });

    await page.goto(`${server.origin}/#/signup`);
    await page.getByLabel('First name').fill('Grace');
    await page.getByLabel('E-mail').fill(OWNER.email);
    await page.getByLabel('Password').fill(OWNER.password);
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.locator('h1', { hasText: /^Applications$/ }).waitFor();
    const made = async (email: string, first: string) =>
      (
        await admin<{ user: User }>('POST', 'users', {
          email,
          first_name: first,
          password: 'a long password 1',
        })
      ).user;
    bob = await made('bob@example.com', 'Bob');
    carol = await made('carol@example.com', 'Carol');
  }, 600_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
    if (webDir) await rm(webDir, { recursive: true, force: true });
  });

  it('axe-core finds a violation planted in a page (the checker works)', async () => {
    await page.goto(`${server.origin}/#/apps`);
    await expect.poll(h1).toBe('Applications');
    await page.evaluate(() => document.querySelector('main')!.append(document.createElement('img')));
    expect((await axeViolations(page)).map((v) => v.id)).toContain('image-alt');
    await page.reload();
    await expect.poll(h1).toBe('Applications');
    await snap('apps');
  });

  it('lists the users for the owner, changes a global role and resets a password without e-mail', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Users' }).click();
    await expect.poll(h1).toBe('Users');
    const rows = page.locator('li[data-user]');
    await expect.poll(() => rows.count()).toBe(3);
    // The owner's own row offers no controls, only a link to the account page.
    const mine = page.locator(`li[data-user="${OWNER.email}"]`);
    expect(await mine.locator('select, button').count()).toBe(0);
    expect(await mine.getByRole('link', { name: 'Your account' }).count()).toBe(1);

    await page.getByLabel('Global role of Bob').selectOption('ADMINISTRATOR');
    await expect
      .poll(() => page.locator(`[data-feedback="user-${bob.id}"]`).textContent())
      .toContain('Bob is now administrator.');
    expect((await admin<{ users: { id: string; role: string }[] }>('GET', 'users')).users).toContainEqual(
      expect.objectContaining({ id: bob.id, role: 'ADMINISTRATOR' }),
    );

    await page.getByRole('button', { name: 'Reset password of Carol' }).click();
    const issued = page.locator(`li[data-user="${carol.email}"] .issued code`);
    await issued.waitFor();
    const password = (await issued.textContent())!.trim();
    expect(password.length).toBeGreaterThanOrEqual(12);
    // The answer is at Carol's row and in view.
    expect(await page.locator(`[data-feedback="user-${carol.id}"]`).isVisible()).toBe(true);
    expect(await tryLogin(carol.email, 'a long password 1')).toBe(401);
    expect(await tryLogin(carol.email, password)).toBe(200);
    await snap('users-owner');
    carolPassword = password;
  });

  it('offers an administrator no control over the owner, and only the roles they may give', async () => {
    await logout();
    await login(bob.email, 'a long password 1');
    await page.getByRole('navigation').getByRole('link', { name: 'Users' }).click();
    await expect.poll(() => page.locator('li[data-user]').count()).toBe(3);
    expect(await page.locator(`li[data-user="${OWNER.email}"]`).locator('select, button').count()).toBe(0);
    const options = await page
      .getByLabel('Global role of Carol')
      .locator('option')
      .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(options).toEqual(['ADMINISTRATOR', 'USER']);
    await snap('users-administrator');
  });

  it('shows a user no Users link and no users, and deletes their own account', async () => {
    await logout();
    const password = carolPassword;
    await login(carol.email, password);
    expect(await page.getByRole('navigation').getByRole('link', { name: 'Users' }).count()).toBe(0);
    await page.goto(`${server.origin}/#/users`);
    await expect.poll(h1).toBe('Users');
    expect(await page.locator('main').textContent()).toContain('Only the owner and administrators');
    await page.getByRole('navigation').getByRole('link', { name: 'Account' }).click();
    await expect.poll(h1).toBe('Account');
    await snap('account-delete');
    await page.getByRole('button', { name: 'Delete my account' }).click();
    await page.getByRole('button', { name: 'Yes, delete my account' }).click();
    await expect.poll(h1).toBe('Log in');
    expect(await tryLogin(carol.email, password)).toBe(401);
  });

  it('tells the owner to hand ownership over before deleting the account', async () => {
    await login(OWNER.email, OWNER.password);
    await page.getByRole('navigation').getByRole('link', { name: 'Account' }).click();
    await expect.poll(h1).toBe('Account');
    expect(await page.getByRole('button', { name: 'Delete my account' }).count()).toBe(0);
    expect(await page.locator('section[aria-labelledby="delete-title"]').textContent()).toContain(
      'Hand ownership over',
    );
    expect((await admin<{ users: User[] }>('GET', 'users')).users.map((u) => u.email).sort()).toEqual([
      bob.email,
      OWNER.email,
    ]);
  });

  it('ran without script errors', () => {
    expect(errors).toEqual([]);
  });
});
