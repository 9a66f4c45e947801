// Repetition and summary statistics for the benchmark: warm-up, a bounded number of timed runs, medians.

/** How often to repeat one measurement: warm-up runs, then up to `runs` timed runs while within `budgetMs`. */
export interface Sampling {
  warmup: number;
  runs: number;
  /** Stops repeating once this much time went into timed runs (at least one run is always made). */
  budgetMs: number;
}

export const now = (): number => performance.now();

/** Runs `fn` `warmup` times untimed, then collects its results over the timed runs. */
export async function repeat<T>(fn: () => Promise<T>, s: Sampling): Promise<T[]> {
  for (let i = 0; i < s.warmup; i++) await fn();
  const out: T[] = [];
  const start = now();
  while (out.length < s.runs && (out.length === 0 || now() - start < s.budgetMs)) out.push(await fn());
  return out;
}

/** The q-quantile (0..1) by linear interpolation; NaN for no values. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const v = [...values].sort((a, b) => a - b);
  const pos = (v.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return v[lo] + (v[hi] - v[lo]) * (pos - lo);
}

export const median = (values: readonly number[]): number => quantile(values, 0.5);

/** Median of each key over runs (a key missing from a run counts as absent, not zero). */
export function medians(runs: readonly Record<string, number>[]): Record<string, number> {
  const keys = new Set(runs.flatMap((r) => Object.keys(r)));
  const out: Record<string, number> = {};
  for (const k of keys) out[k] = median(runs.map((r) => r[k]).filter((x) => x !== undefined));
  return out;
}

export const MB = 1024 * 1024;
