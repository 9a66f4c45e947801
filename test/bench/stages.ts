// Section 1: Visor's per-stage milliseconds on the three photos, every plugin the engine offers.
import type { TimingResult } from './engine-child.js';
import { PHOTOS } from './setup.js';
import { median, medians, type Sampling } from './stats.js';
import { printTable, type Cell } from './table.js';
import { timeEngine } from './timing.js';

/** Readable names for the engine's execution_time keys; other keys print as they are. */
const LABELS: Record<string, string> = {
  detector: 'detect',
  verifier: 'verify (face mesh on candidates)',
  landmarks68: 'landmarks68 (alignment)',
  calculator: 'align + embed',
};

export async function runStages(s: Sampling, visorThreads?: number): Promise<TimingResult> {
  const r = await timeEngine('visor', s, 'all', visorThreads);
  printStages(r);
  return r;
}

function printStages(r: TimingResult): void {
  const per = r.photos.map((p) => medians(p.stages));
  const keys = [...new Set(per.flatMap((m) => Object.keys(m)))];
  const rows: Cell[][] = [
    ['decode (sharp)', ...r.photos.map((p) => median(p.decode))],
    ...keys.map((k) => [LABELS[k] ?? k, ...per.map((m) => m[k])]),
    ['total (decode + analyze)', ...r.photos.map((p) => median(p.total))],
    ['CPU time of analyze (all threads)', ...r.photos.map((p) => median(p.cpu))],
    ['faces found', ...r.photos.map((p) => String(p.faces))],
    ['timed runs', ...r.photos.map((p) => String(p.total.length))],
  ];
  printTable({
    title: '1. Visor per-stage time, ms (median)',
    headers: ['stage', ...r.photos.map((p) => PHOTOS.find((x) => x.key === p.key)?.label ?? p.key)],
    rows,
    notes: [
      `engine: ${r.describe}`,
      r.unavailable.length
        ? `plugins the engine does not offer: ${r.unavailable.join(', ')}`
        : 'every plugin offered',
      'per-face stages are summed over the faces of the photo; detect runs once per photo',
      'align + embed: warp to the aligned chip and the embedder (and its mirrored pass if it has one); total is the median of',
      'whole runs, not the sum of the stage medians. Each photo: 1 untimed warm-up, then the timed runs shown.',
    ],
  });
}
