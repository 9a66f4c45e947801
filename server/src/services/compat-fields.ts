// CompreFace's exact field shapes for values Visor measures differently: `execution_time` holds integer
// milliseconds under CompreFace's keys only, and `age` is one of CompreFace's fixed age buckets. What Visor
// knows beyond that travels in Visor-named fields (`visor_execution_time`, `visor_age`) that CompreFace
// clients ignore.
import type { Age } from '../../../shared/engine/types.js';

/** The keys CompreFace's Python core reports in `execution_time`: the detector and each plugin that ran. */
const COMPREFACE_TIME_KEYS = new Set([
  'detector',
  'calculator',
  'age',
  'gender',
  'mask',
  'pose',
  'landmarks',
  'landmarks2d106',
]);

/** Splits timings into CompreFace's integer-millisecond keys and the rest (Visor's own stages, rounded to 0.1 ms). */
export function splitTimes(times: Record<string, number>): {
  execution_time: Record<string, number>;
  visor_execution_time?: Record<string, number>;
} {
  const execution_time: Record<string, number> = {};
  const extra: Record<string, number> = {};
  for (const [key, ms] of Object.entries(times)) {
    if (COMPREFACE_TIME_KEYS.has(key)) execution_time[key] = Math.round(ms);
    else extra[key] = Math.round(ms * 10) / 10;
  }
  return Object.keys(extra).length ? { execution_time, visor_execution_time: extra } : { execution_time };
}

/**
 * CompreFace's age classes (embedding-calculator/src/services/facescan/plugins/agegender/agegender.py, AgeDetector.LABELS:
 * '(0, 2)', '(4, 6)', '(8, 12)', '(15, 20)', '(25, 32)', '(38, 43)', '(48, 53)', '(60, 100)').
 */
export const AGE_BUCKETS: readonly (readonly [number, number])[] = [
  [0, 2],
  [4, 6],
  [8, 12],
  [15, 20],
  [25, 32],
  [38, 43],
  [48, 53],
  [60, 100],
];

/** The bucket nearest to the middle of Visor's age range, with that range's probability. */
export function ageBucket(age: Age): Age {
  const mid = (age.low + age.high) / 2;
  const distance = ([low, high]: readonly [number, number]) =>
    mid < low ? low - mid : mid > high ? mid - high : 0;
  let best = AGE_BUCKETS[0];
  for (const b of AGE_BUCKETS) if (distance(b) < distance(best)) best = b;
  return { probability: age.probability, high: best[1], low: best[0] };
}
