// Every text an element of the page showed, for assertions on messages that last only until the next sync (a sync
// line is replaced 2-3 s later in the tests' kiosks, and polling its text on a loaded machine can miss it).
import type { Page } from 'playwright-core';

/** Starts recording the texts of the elements with these test ids; returns a reader of all seen so far, in order. */
export async function recordNotices(page: Page, ids: readonly string[]): Promise<() => Promise<string[]>> {
  await page.evaluate((ids) => {
    const seen: string[] = [];
    (window as unknown as { notices: string[] }).notices = seen;
    const note = () => {
      for (const id of ids) {
        const t = document.querySelector(`[data-testid="${id}"]`)?.textContent;
        if (t && !seen.includes(t)) seen.push(t);
      }
    };
    note();
    new MutationObserver(note).observe(document.body, {
      subtree: true,
      childList: true,
      characterData: true,
    });
  }, ids);
  return () => page.evaluate(() => (window as unknown as { notices: string[] }).notices);
}
