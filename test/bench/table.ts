// A tiny fixed-width table printer for the benchmark's console output.

export type Cell = string | number | undefined;

export interface Table {
  title: string;
  headers: string[];
  rows: Cell[][];
  /** Lines printed under the table (method, caveats). */
  notes?: string[];
}

/** Milliseconds with a precision that suits their size; '-' for absent. */
export function ms(v: number | undefined): string {
  if (v === undefined || Number.isNaN(v)) return '-';
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
}

/** A ratio like `5.3x`. */
export const times = (v: number | undefined): string =>
  v === undefined || !Number.isFinite(v) ? '-' : `${v.toFixed(1)}x`;

export const mb = (bytes: number | undefined): string =>
  bytes === undefined || Number.isNaN(bytes) ? '-' : `${(bytes / 1024 / 1024).toFixed(0)} MB`;

const text = (c: Cell): string => (c === undefined ? '-' : typeof c === 'number' ? ms(c) : c);

/** Prints the table: first column left-aligned, the others right-aligned. */
export function printTable(t: Table, out: (line: string) => void = console.log): void {
  const cells = [t.headers, ...t.rows.map((r) => r.map(text))];
  const widths = t.headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : (c ?? '').padStart(widths[i]))).join('  ');
  out('');
  out(`## ${t.title}`);
  out(line(t.headers));
  out(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of cells.slice(1)) out(line(r));
  for (const n of t.notes ?? []) out(`  ${n}`);
}
