// axe-core in the Chromium tests: injects node_modules/axe-core/axe.min.js into the page (through the
// DevTools protocol, so the app's Content-Security-Policy does not block it) and runs every WCAG A/AA rule;
// and the screenshots that come with it (desktop and phone, 0 violations, no sideways overflow on the phone).
// The screenshots are for people to look at (no test compares them): JPEGs of the window, which cost Chromium and
// the pipe to the test a third of full-page PNGs; VISOR_FULL_SCREENSHOTS=1 takes the whole page instead.
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
      // the same rules find the same violations; the passing and inapplicable nodes are not collected
      resultTypes: ['violations'],
    });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
    }));
  });
}

/** Whole pages instead of the window (about three times the CPU: Chromium lays the page out at its full height). */
const FULL_PAGE = process.env.VISOR_FULL_SCREENSHOTS === '1';

/** A screenshot of the window (or the whole page, see FULL_PAGE) as it is now, saved as the JPEG `path`. */
export async function saveScreenshot(page: Page, path: string): Promise<void> {
  // caret 'initial': Playwright's default hides the text caret with a style sheet added and removed around the shot
  await page.screenshot({ path, fullPage: FULL_PAGE, type: 'jpeg', quality: 80, caret: 'initial' });
}

const isDesktop = (size: { width: number; height: number } | null) =>
  size?.width === DESKTOP.width && size.height === DESKTOP.height;

/**
 * Saves `<dir>/<name>.desktop.jpg` and `.phone.jpg` (saveScreenshot) and asserts 0 axe violations at both sizes and
 * no sideways overflow at the phone's 390 px; the page is left at the desktop size.
 */
export async function auditedScreenshots(page: Page, dir: string, name: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  if (!isDesktop(page.viewportSize())) await page.setViewportSize(DESKTOP);
  expect(await axeViolations(page), `${name} (desktop)`).toEqual([]);
  await saveScreenshot(page, `${dir}/${name}.desktop.jpg`);
  await page.setViewportSize(PHONE);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  await saveScreenshot(page, `${dir}/${name}.phone.jpg`);
  const phone = await axeViolations(page);
  await page.setViewportSize(DESKTOP);
  expect(overflow, `${name}: page wider than the phone`).toBeLessThanOrEqual(0);
  expect(phone, `${name} (phone)`).toEqual([]);
}
