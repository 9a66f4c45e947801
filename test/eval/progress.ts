// Progress lines for long evaluation loops: count, rate and time left, at most every few seconds.

/** Returns a function to call once per finished item; it logs when `everyMs` passed or at the end. */
export function progress(
  label: string,
  total: number,
  log: (line: string) => void,
  everyMs = 5000,
): () => void {
  const start = performance.now();
  let done = 0;
  let last = start;
  return () => {
    done++;
    const now = performance.now();
    if (now - last < everyMs && done < total) return;
    last = now;
    const rate = done / ((now - start) / 1000);
    const left = Math.round((total - done) / rate);
    const eta = done < total ? `, ${Math.floor(left / 60)}m${String(left % 60).padStart(2, '0')}s left` : '';
    log(`  ${label}: ${done}/${total} (${Math.round((100 * done) / total)}%), ${rate.toFixed(1)}/s${eta}`);
  };
}
