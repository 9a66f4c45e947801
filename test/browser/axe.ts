// axe-core in the Chromium tests: injects node_modules/axe-core/axe.min.js into the page (through the
// DevTools protocol, so the app's Content-Security-Policy does not block it) and runs every WCAG A/AA rule;
// and the screenshots that come with it (desktop and phone, 0 violations, no sideways overflow on the phone).
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { DESKTOP, PHONE } from '../web/browser.js';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/** The axe-core violations on the page as it is now (WCAG 2.x A and AA rules, best practices excluded). */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(o: unknown): Promise<AxeResults> } }).axe;
    interface AxeResults {
      violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[];
    }
    const r = await axe.run({
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
    });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
    }));
  });
}

/**
 * Saves `<dir>/<name>.desktop.png` and `.phone.png` (full page) and asserts 0 axe violations at both sizes and
 * no sideways overflow at the phone's 390 px; the page is left at the desktop size.
 */
export async function auditedScreenshots(page: Page, dir: string, name: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  await page.setViewportSize(DESKTOP);
  expect(await axeViolations(page), `${name} (desktop)`).toEqual([]);
  await page.screenshot({ path: `${dir}/${name}.desktop.png`, fullPage: true });
  await page.setViewportSize(PHONE);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  await page.screenshot({ path: `${dir}/${name}.phone.png`, fullPage: true });
  const phone = await axeViolations(page);
  await page.setViewportSize(DESKTOP);
  expect(overflow, `${name}: page wider than the phone`).toBeLessThanOrEqual(0);
  expect(phone, `${name} (phone)`).toEqual([]);
}
