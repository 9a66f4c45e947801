// Every text some elements of a page showed, for assertions on messages that last only until the next sync (the
// tests' kiosks sync every 2-5 s, and polling an element's text on a loaded machine can miss one).
import type { Page } from 'playwright-core';

type Noticed = { notices?: { ids: Set<string>; seen: string[] } };

/**
 * Records the texts of the elements with these test ids, in the page as it is and in every page it loads from now
 * on (a navigation starts a new list); returns a reader of the texts seen so far, in order, each once.
 */
export async function recordNotices(page: Page, ids: readonly string[]): Promise<() => Promise<string[]>> {
  const record = (ids: readonly string[]) => {
    const w = window as unknown as Noticed;
    if (w.notices) {
      for (const id of ids) w.notices.ids.add(id);
      return;
    }
    const notices = (w.notices = { ids: new Set(ids), seen: [] as string[] });
    const note = () => {
      for (const id of notices.ids) {
        const t = document.querySelector(`[data-testid="${id}"]`)?.textContent;
        if (t && !notices.seen.includes(t)) notices.seen.push(t);
      }
    };
    note();
    new MutationObserver(note).observe(document, { subtree: true, childList: true, characterData: true });
  };
  await page.addInitScript(record, ids);
  await page.evaluate(record, ids);
  return () => page.evaluate(() => (window as unknown as Noticed).notices?.seen ?? []);
}

/**
 * For `expect.poll(...).toMatch(pattern)`: the first recorded text that matches, else all of them (what the failure
 * shows).
 */
export const noticeMatching = (seen: () => Promise<string[]>, pattern: RegExp) => async () => {
  const texts = await seen();
  return texts.find((t) => pattern.test(t)) ?? `none matched; seen: ${texts.join(' | ')}`;
};
