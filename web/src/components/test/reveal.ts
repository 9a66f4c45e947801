// Brings a freshly shown result into view with the least scrolling (all of it when it fits the window, else
// its top) and gives it the focus, so that the answer is where the eye and the screen reader are.

/** Scrolls `el` into view when it is not (wholly, if it fits) and focuses it. */
export function reveal(el: HTMLElement, margin = 8): void {
  const r = el.getBoundingClientRect();
  const height = window.innerHeight;
  let dy = 0;
  if (r.height + 2 * margin <= height) {
    if (r.top < margin) dy = r.top - margin;
    else if (r.bottom > height - margin) dy = r.bottom - height + margin;
  } else if (r.top < margin || r.top > height / 3) {
    dy = r.top - margin;
  }
  if (dy) window.scrollBy({ top: dy, behavior: 'instant' });
  el.focus({ preventScroll: true });
}
