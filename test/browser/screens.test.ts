// Issue 20's missing screens in real Chromium against the real server (PGlite, real models): the users page
// (global roles, a password reset without e-mail, deletion; only what the role may do is offered), deleting
// your own account, the kiosk events (filters, CSV export), and axe-core with 0 violations on each page at
// desktop and phone size, without sideways overflow on the phone. Screenshots go to test/artifacts/screens.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { DESKTOP, PHONE } from '../web/browser.js';
import { CSRF, OWNER, openAppSession, type AppSession } from './app-session.js';
import { auditedScreenshots, axeViolations } from './axe.js';
import { HAVE_CHROMIUM, SKIP_REASON } from './harness.js';

const ARTIFACTS = fileURLToPath(new URL('../artifacts/screens', import.meta.url));

interface User {
  id: string;
  email: string;
}

describe.skipIf(!HAVE_CHROMIUM)(`users, account deletion, accessibility${SKIP_REASON}`, () => {
  let session: AppSession;
  let server: AppSession['server'];
  let page: Page;
  let bob: User;
  let carol: User;
  /** The password the owner's reset gave Carol. */
  let carolPassword = '';
  /** The application of the events test, with its recognition service Door. */
  let lobbyId = '';

  const h1 = () => session.h1();
  const admin = <T>(method: string, path: string, data?: unknown) => session.admin<T>(method, path, data);
  /** Logs in through a fresh request context (not the page's cookies); resolves with the status. */
  const tryLogin = async (email: string, password: string) => {
    const r = await session.browser.newContext();
    try {
      const res = await r.request.post(`${server.origin}/admin/login`, {
        data: { email, password },
        headers: CSRF,
      });
      return res.status();
    } finally {
      // the browser is the worker's (sharedBrowser): a context left open would outlive this suite
      await r.close();
    }
  };
  const snap = (name: string) => auditedScreenshots(page, ARTIFACTS, name);
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
    session = await openAppSession({ artifacts: ARTIFACTS });
    ({ server, page } = session);
    await session.signUp();
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
    await session?.close();
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
    const deleteWith = async (typed: string) => {
      await page.getByLabel('Your current password').fill(typed);
      await page.getByRole('button', { name: 'Delete my account' }).click();
      await page.getByRole('button', { name: 'Yes, delete my account' }).click();
    };
    await deleteWith('not my password');
    await expect
      .poll(() => page.locator('section[aria-labelledby="delete-title"]').textContent())
      .toContain('Type your current password as it is now');
    await deleteWith(password);
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

  it('lists the kiosk events of a recognition service, filters them and exports the filtered ones as CSV', async () => {
    const app = await admin<{ id: string }>('POST', 'apps', { name: 'Lobby' });
    lobbyId = app.id;
    const svc = await admin<{ id: string; api_key: string }>('POST', `apps/${app.id}/services`, {
      name: 'Door',
      type: 'RECOGNITION',
    });
    const box = { x_min: 10, y_min: 20, x_max: 110, y_max: 140 };
    const push = async (device: string, events: object[]) => {
      const res = await session.context.request.post(`${server.origin}/api/v1/recognition/sync/push`, {
        headers: { 'x-api-key': svc.api_key },
        data: { device_id: device, events },
      });
      expect(res.status(), await res.text()).toBe(200);
    };
    const day = (d: string, h: number) => new Date(`${d}T${String(h).padStart(2, '0')}:00:00`).getTime();
    await push('hall-kiosk', [
      { event_id: 'e1', at: day('2026-11-02', 9), subject: 'Alice', similarity: 0.81, box },
      { event_id: 'e2', at: day('2026-11-03', 10), subject: null, similarity: 0.21, box },
      // A name a spreadsheet would run as a formula: exported with an apostrophe.
      { event_id: 'e3', at: day('2026-11-04', 11), subject: '=HYPERLINK("x")', similarity: 0.7, box },
    ]);
    await push('gate-kiosk', [
      { event_id: 'e1', at: day('2026-11-03', 12), subject: 'Alice', similarity: 0.77, box },
      { event_id: 'e4', at: day('2026-11-05', 8), subject: 'Bob', similarity: 0.66, box },
    ]);

    await page.goto(`${server.origin}/#/service/${app.id}/${svc.id}`);
    await page.getByRole('link', { name: 'Kiosk events' }).click();
    await expect.poll(h1).toBe('Door · kiosk events');
    const count = () => page.getByTestId('events-count').textContent();
    await expect.poll(count).toBe('5 of 5 events');
    expect(await page.locator('tbody tr').first().textContent()).toContain('Bob');
    await snap('events');

    await page.getByLabel('Who').fill('alice');
    await expect.poll(count).toBe('2 of 5 events');
    await page.getByLabel('Device').selectOption('hall-kiosk');
    await expect.poll(count).toBe('1 of 5 events');
    await page.getByLabel('Who').fill('(unknown)');
    await expect.poll(count).toBe('1 of 5 events');
    expect(await page.locator('tbody tr').first().textContent()).toContain('unknown');
    await page.getByLabel('Who').fill('');
    await page.getByLabel('Device').selectOption('');
    await page.getByLabel('From').fill('2026-11-03');
    await page.getByLabel('To').fill('2026-11-04');
    await expect.poll(count).toBe('3 of 5 events');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download CSV (3)' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^Door-events-\d{4}-\d\d-\d\d\.csv$/);
    const csv = (await readFile((await download.path())!, 'utf8')).split('\r\n');
    expect(csv[0]).toBe('at,device_id,subject,similarity,x_min,y_min,x_max,y_max,event_id');
    expect(csv.slice(1, -1).map((r) => r.split(',').slice(1, 4).join(','))).toEqual([
      `hall-kiosk,"'=HYPERLINK(""x"")",0.7`,
      'gate-kiosk,Alice,0.77',
      'hall-kiosk,,0.21',
    ]);
    expect(csv.at(-1)).toBe('');
  });

  it('refuses a file that is not an image or is over the size limit before uploading it, and says why', async () => {
    await page.goto(`${server.origin}/#/app/${lobbyId}`);
    await page.getByRole('link', { name: 'Test Door' }).click();
    await expect.poll(h1).toMatch(/^Test · /);
    const sent: string[] = [];
    page.on('request', (r) => r.url().includes('/api/v1/recognition/') && sent.push(r.url()));
    await page.setInputFiles('#pick-0', {
      name: 'notes.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('not a face'),
    });
    const refused = page.getByTestId('refused-pick-0');
    await expect.poll(() => refused.textContent()).toContain('notes.txt is not an image');
    await page.setInputFiles('#pick-0', {
      name: 'big.jpg',
      mimeType: 'image/jpeg',
      buffer: Buffer.alloc(6 * 1024 * 1024, 0xff),
    });
    await expect
      .poll(() => refused.textContent())
      .toContain('big.jpg is 6.0 MB: the server takes at most 5.0 MB a file');
    expect(sent).toEqual([]);
  });

  it('folds the navigation behind a Menu button on a phone: one header row, closed after navigating', async () => {
    await page.setViewportSize(PHONE);
    await page.goto(`${server.origin}/#/apps`);
    await expect.poll(h1).toBe('Applications');
    const menu = page.getByRole('button', { name: 'Menu' });
    const users = page.getByRole('navigation').getByRole('link', { name: 'Users' });
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    expect(await users.isVisible()).toBe(false);
    const header = (await page.locator('header').boundingBox())!;
    expect(header.height).toBeLessThan(120);
    await menu.click();
    expect(await menu.getAttribute('aria-expanded')).toBe('true');
    await users.click();
    await expect.poll(h1).toBe('Users');
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    await page.setViewportSize(DESKTOP);
    await snap('users-after-menu');
  });

  it('serves /api/docs without sideways overflow on a phone and with 0 axe violations', async () => {
    await page.goto(`${server.origin}/api/docs`);
    await page.locator('h1').first().waitFor();
    await snap('api-docs');
  });

  it('explains the lockout on the log-in page: wait, reset, or use a browser you logged in from before', async () => {
    // A fresh browser: no device cookie, so the account's limit applies (5 attempts per window).
    const other = await session.browser.newContext({ viewport: DESKTOP });
    onTestFinished(() => other.close());
    const p = await other.newPage();
    await p.goto(`${server.origin}/#/login`);
    const alert = p.locator('.error').first();
    // allTextContents does not wait for the alert (textContent would, 30 s, before the first attempt)
    for (let i = 0; i < 6 && !(await alert.allTextContents()).join(' ').includes('Too many'); i++) {
      await p.getByLabel('E-mail').fill(bob.email);
      await p.getByLabel('Password').fill(`wrong password ${i}`);
      await p.getByRole('button', { name: 'Log in' }).click();
      await p.getByRole('button', { name: 'Log in' }).waitFor();
      await expect.poll(() => alert.count()).toBe(1);
    }
    expect(await alert.textContent()).toContain('Too many attempts for this account');
    expect(await alert.textContent()).toContain(
      'A browser you have logged in from before is limited on its own',
    );
  });

  it('ran without script errors', () => {
    expect(session.errors).toEqual([]);
  });
});
