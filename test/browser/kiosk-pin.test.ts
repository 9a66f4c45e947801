// The kiosk's operator PIN in real Chromium (the presentation controls and overlay alone, no camera): the browser
// keeps a salted PBKDF2 hash of it, never the digits; 5 wrong PINs make the next try wait 30 s, then longer,
// across reloads, and the overlay says how long; a PIN kept in plain by an older version is hashed when read.
import { rm } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedBrowser } from '../web/browser.js';
import { HAVE_CHROMIUM, SKIP_REASON, buildPages, listen, pageServer, type Served } from './harness.js';

const KEY = 'visor.kiosk.presentation.v1';

describe.skipIf(!HAVE_CHROMIUM)(`kiosk operator PIN${SKIP_REASON}`, () => {
  let builtDir = '';
  let served: Served;
  let page: Page;
  const errors: string[] = [];

  const stored = () => page.evaluate((k) => localStorage.getItem(k), KEY);
  const alert = () => page.getByRole('alert').textContent();
  /** Lets the wait in storage run out (as time passing would), then reloads. */
  const waitOver = async () => {
    await page.evaluate((k) => {
      const v = JSON.parse(localStorage.getItem(k)!) as { retryAt: number };
      localStorage.setItem(k, JSON.stringify({ ...v, retryAt: Date.now() - 1 }));
    }, KEY);
    await page.reload();
  };
  const tryPin = async (pin: string) => {
    if (await page.getByRole('button', { name: 'Operator' }).count())
      await page.getByRole('button', { name: 'Operator' }).click();
    await page.getByLabel('Operator PIN', { exact: true }).fill(pin);
    await page.getByRole('button', { name: 'Unlock' }).click();
    // checked once the button says Unlock again (Checking… meanwhile), or the page was handed back
    await page.getByRole('button', { name: 'Unlock' }).or(page.getByRole('heading')).first().waitFor();
  };

  beforeAll(async () => {
    const built = await buildPages(['kiosk-pin']);
    builtDir = built.dir;
    served = await listen(pageServer(built.dir));
    // the worker's Chromium (sharedBrowser): this suite closes only its page's context
    page = await (await sharedBrowser()).newPage();
    page.on('pageerror', (e) => errors.push(e.message));
  }, 300_000);

  afterAll(async () => {
    await page?.context().close();
    await served?.close();
    if (builtDir) await rm(builtDir, { recursive: true, force: true });
  });

  it('keeps a salted slow hash of the PIN, never the digits', async () => {
    await page.goto(`${served.origin}/kiosk-pin.html`);
    await page.getByLabel('Operator PIN (optional)').fill('2468');
    await page.getByRole('button', { name: 'Start presentation mode' }).click();
    await expect.poll(stored).toMatch(/"hash"/);
    const saved = JSON.parse((await stored())!) as {
      pin: { salt: string; iterations: number; hash: string };
    };
    expect(await stored()).not.toContain('2468');
    expect(saved.pin.iterations).toBeGreaterThanOrEqual(100_000);
    expect(atob(saved.pin.salt)).toHaveLength(16);
    expect(atob(saved.pin.hash)).toHaveLength(32);
    // one check's cost here (the iterations were measured on this browser to take about 100 ms)
    const ms = await page.evaluate(async (iterations) => {
      const key = await crypto.subtle.importKey('raw', new TextEncoder().encode('0000'), 'PBKDF2', false, [
        'deriveBits',
      ]);
      const t0 = performance.now();
      const salt = new Uint8Array(16);
      await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, key, 256);
      return performance.now() - t0;
    }, saved.pin.iterations);
    console.log(`PBKDF2-SHA-256 ×${saved.pin.iterations}: ${ms.toFixed(0)} ms`);
  });

  it('makes the 5th wrong PIN wait 30 s, the next 1 min, across reloads, then the right PIN unlocks', async () => {
    await page.reload();
    const said = [
      'Wrong PIN.',
      'Wrong PIN.',
      'Wrong PIN. 2 tries left before a wait.',
      'Wrong PIN. 1 try left before a wait.',
    ];
    for (const [i, text] of said.entries()) {
      await tryPin(`000${i}`);
      expect(await alert()).toBe(text);
    }
    await tryPin('0005');
    expect(await alert()).toBe('Too many wrong PINs. Try again in 30 s.');
    expect(await page.getByRole('button', { name: 'Unlock' }).isDisabled()).toBe(true);
    // a reload does not start afresh
    await page.reload();
    await page.getByRole('button', { name: 'Operator' }).click();
    expect(await alert()).toMatch(/^Too many wrong PINs\. Try again in (2\d|30) s\.$/);
    expect(await page.getByRole('button', { name: 'Unlock' }).isDisabled()).toBe(true);
    await waitOver();
    await tryPin('0006');
    expect(await alert()).toBe('Too many wrong PINs. Try again in 1 min.');
    await waitOver();
    await tryPin('2468');
    await page.getByRole('heading', { name: 'Operator' }).waitFor();
    expect(await stored()).toBeNull();
  });

  it('hashes a PIN an older version kept in plain when it reads it', async () => {
    await page.evaluate((k) => localStorage.setItem(k, JSON.stringify({ pin: '1357' })), KEY);
    await page.reload();
    await expect.poll(stored).toMatch(/"hash"/);
    expect(await stored()).not.toContain('1357');
    await tryPin('1111');
    expect(await alert()).toBe('Wrong PIN.');
    await tryPin('1357');
    await page.getByRole('heading', { name: 'Operator' }).waitFor();
    expect(errors).toEqual([]);
  });
});
