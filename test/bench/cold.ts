// Section 5: cold start, process start → engine ready, for Visor and the two peers, in fresh processes.
import { runChild } from './child.js';
import type { ColdResult } from './engine-child.js';
import { ENGINE_LABELS, ENGINES } from './engines.js';
import { median } from './stats.js';
import { mb, printTable, type Cell } from './table.js';

export async function runCold(quick: boolean): Promise<Record<string, ColdResult[]>> {
  const runs = quick ? 1 : 3;
  const all: Record<string, ColdResult[]> = {};
  const rows: Cell[][] = [];
  const failures: string[] = [];
  for (const engine of ENGINES) {
    const results: ColdResult[] = [];
    try {
      for (let i = 0; i < runs; i++)
        results.push(
          await runChild<ColdResult>('./engine-child.ts', ['--engine', engine, '--mode', 'cold'], 300_000),
        );
    } catch (e) {
      failures.push(`${ENGINE_LABELS[engine]} failed: ${(e as Error).message}`);
      continue;
    }
    all[engine] = results;
    rows.push([
      ENGINE_LABELS[engine],
      median(results.map((r) => r.startedMs)),
      median(results.map((r) => r.readyMs)),
      median(results.map((r) => r.firstMs)),
      mb(median(results.map((r) => r.rssReady))),
      String(results.length),
    ]);
  }
  printTable({
    title: '5. Cold start, ms from process start (median)',
    headers: ['engine', 'script running', 'engine ready', 'first photo after ready', 'RSS ready', 'runs'],
    rows,
    notes: [
      'Each run is a new `node --import tsx` process; times are performance.now() in it (0 = process start).',
      'script running: Node + tsx start-up and the bench script imports; engine ready: createServerEngine()',
      'resolved (Visor; detector, landmark and embedding models) or the peer loaded its models from disk.',
      'first photo: decode + inference of the small photo right after ready (what a first request would pay).',
      ...failures,
    ],
  });
  return all;
}
