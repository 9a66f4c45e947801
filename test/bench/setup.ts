// What every section shares: the three photos, the sampling presets, the machine description.
import { cpus, loadavg, totalmem, availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Sampling } from './stats.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const SAMPLES = join(ROOT, 'test/fixtures/compreface-samples');

export const PHOTOS = [
  { key: 'small', file: '009_C.jpg', label: 'small 009_C (348x522, 1 face)' },
  { key: 'group', file: '000_5.jpg', label: 'group 000_5 (819x546, 5 faces)' },
  { key: 'huge', file: '001_A.jpg', label: 'huge 001_A (4912x7360, 1 face)' },
] as const;
export type PhotoKey = (typeof PHOTOS)[number]['key'];

export const photoPath = (file: string): string => join(SAMPLES, file);

/** Default: 1 warm-up + up to 5 runs (20 s per photo at most); --quick: 1 + up to 2 runs (6 s). */
export function sampling(quick: boolean): Sampling {
  return quick ? { warmup: 1, runs: 2, budgetMs: 6_000 } : { warmup: 1, runs: 5, budgetMs: 20_000 };
}

export function describeMachine(): string[] {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  const load = loadavg().map((l) => l.toFixed(1));
  return [
    `CPU: ${cpu}, ${availableParallelism()} logical cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM`,
    `Node ${process.version} (${process.platform}-${process.arch})`,
    `load average at start: ${load.join(' / ')} (1/5/15 min)`,
  ];
}

/** A warning when other processes compete for the CPU (figures are then inflated). */
export function loadWarning(): string | undefined {
  const l = loadavg()[0];
  const cores = availableParallelism();
  return l > cores
    ? `warning: load average ${l.toFixed(1)} on ${cores} cores: other processes compete for the CPU, timings are inflated`
    : undefined;
}
