// Runs one engine's timing child on the photos with the chosen sampling.
import { runChild } from './child.js';
import type { TimingResult } from './engine-child.js';
import type { EngineName } from './engines.js';
import { PHOTOS } from './setup.js';
import type { Sampling } from './stats.js';

export function timeEngine(
  engine: EngineName,
  s: Sampling,
  plugins: 'all' | 'none',
  visorThreads?: number,
): Promise<TimingResult> {
  const args = [
    ...['--engine', engine, '--plugins', plugins],
    ...(visorThreads ? ['--threads', String(visorThreads)] : []),
    ...['--warmup', String(s.warmup), '--runs', String(s.runs), '--budget', String(s.budgetMs)],
  ];
  // loading + per photo: the run budget plus the warm-up and one over-long last run
  const timeoutMs = 180_000 + PHOTOS.length * (s.budgetMs + 120_000);
  return runChild<TimingResult>('./engine-child.ts', args, timeoutMs);
}
