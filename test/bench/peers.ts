// Sections 2 and 3: the same photos through Visor, @vladmandic/human and @vladmandic/face-api
// (each in its own fresh process, identical decode and sampling), the speed ratio, and peak RSS.
import { loadConfig } from '../../server/src/config.js';
import type { TimingResult } from './engine-child.js';
import { ENGINE_LABELS } from './engines.js';
import { PHOTOS } from './setup.js';
import { median, type Sampling } from './stats.js';
import { mb, printTable, times, type Cell } from './table.js';
import { timeEngine } from './timing.js';

// What the server would decode the huge photo (4912x7360) at: its ANALYSIS_MAX_SIDE, as engine-visor.ts uses.
const maxSide = loadConfig().analysisMaxSide;
const reduced = Math.round((4912 * maxSide) / 7360);

/**
 * Times the three engines. A Visor run from the stages section is reused when it ran no plugins
 * (then it measured exactly the recognition pipeline); otherwise Visor is timed again without plugins.
 */
export async function runPeers(
  s: Sampling,
  stages?: TimingResult,
  visorThreads?: number,
): Promise<TimingResult[]> {
  const visor =
    stages && stages.plugins.length === 0 ? stages : await timeEngine('visor', s, 'none', visorThreads);
  const results = [visor];
  const failures: string[] = [];
  for (const peer of ['human', 'faceapi'] as const) {
    try {
      results.push(await timeEngine(peer, s, 'none'));
    } catch (e) {
      failures.push(`${ENGINE_LABELS[peer]} failed: ${(e as Error).message}`);
    }
  }
  printPeers(results, failures);
  printMemory(results);
  return results;
}

function printPeers(results: TimingResult[], failures: string[]): void {
  const visor = results[0];
  const rows: Cell[][] = [];
  for (const photo of PHOTOS) {
    const base = visor.photos.find((p) => p.key === photo.key);
    for (const r of results) {
      const p = r.photos.find((x) => x.key === photo.key);
      if (!p || !base) continue;
      const ratio = (a: number[], b: number[]) => (r === visor ? undefined : median(a) / median(b));
      rows.push([
        r === visor ? `${photo.key} ${photo.file}` : '',
        ENGINE_LABELS[r.engine],
        String(p.faces),
        String(p.total.length),
        median(p.decode),
        median(p.infer),
        median(p.total),
        median(p.cpu),
        r === visor ? '1.0x' : times(ratio(p.total, base.total)),
        r === visor ? '1.0x' : times(ratio(p.infer, base.infer)),
      ]);
    }
  }
  printTable({
    title: '2. Visor against @vladmandic/human and @vladmandic/face-api, ms (median)',
    headers: [
      'photo',
      'engine',
      'faces',
      'runs',
      'decode',
      'inference',
      'total',
      'CPU (inference)',
      'Visor faster (total)',
      '(inference)',
    ],
    rows,
    notes: [
      ...results.map((r) => `${ENGINE_LABELS[r.engine]}: ${r.describe}`),
      `photos: ${PHOTOS.map((p) => p.label).join('; ')}`,
      'Each engine runs in its own fresh process: 1 untimed warm-up per photo, then the timed runs shown.',
      `decode: sharp for all three; Visor decodes photos longer than ANALYSIS_MAX_SIDE (${maxSide}) reduced, as its server`,
      'does, the peers at full size; they then take an int32 [h,w,3] tensor (included in their inference).',
      '"Visor faster" = peer median / Visor median (wall-clock). Visor runs no plugins here.',
      'CPU: process CPU time (all threads) during inference; onnxruntime uses up to 4 threads, tfjs-wasm one.',
      ...failures,
    ],
  });
}

function printMemory(results: TimingResult[]): void {
  const rows: Cell[][] = results.map((r) => {
    const huge = r.photos.find((p) => p.key === 'huge');
    return [ENGINE_LABELS[r.engine], mb(r.rssReady), mb(huge?.peakRss), mb(r.maxRss)];
  });
  printTable({
    title: `3. Resident memory, huge photo ${PHOTOS[2].label}`,
    headers: ['engine', 'RSS, models loaded', 'peak RSS during huge photo', 'maxRSS (process lifetime)'],
    rows,
    notes: [
      'peak: process.memoryUsage.rss() sampled every 5 ms from a worker thread during the warm-up and timed runs',
      'on the huge photo (decode included); maxRSS: process.resourceUsage().maxRSS at the end of the process.',
      `The huge photo decodes to ${mb(4912 * 7360 * 3)} of RGB for the peers (their int32 tensor of it is 4 times`,
      maxSide && maxSide < 7360
        ? `that); Visor decodes it reduced to ${reduced}x${maxSide}, ${mb(reduced * maxSide * 3)}.`
        : 'that); Visor decodes it at full size too (ANALYSIS_MAX_SIDE).',
    ],
  });
}
