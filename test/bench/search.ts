// Section 4: cosine search at 10k, 100k and 1M embeddings through the server's VectorIndex, exact, quantised
// (every int8 row scanned, exact re-rank) and staged (sign codes pick the rows the int8 scan scores) side by side on
// the same rows and queries, once per scoring kernel (WebAssembly SIMD, then the JS fallback) and embedding size,
// each in its own process. Rows are LFW's faces plus random fill.
import { existsSync } from 'node:fs';
import { runChild } from './child.js';
import type { Representation, SearchPoint } from './search-child.js';
import { LFW_DIR } from './search-faces.js';
import { median } from './stats.js';
import { mb, ms, printTable } from './table.js';

/** The default embedder's size (faceplugin-recognition); face-api's ResNet gives 128-d, measured alongside. */
const DIM = 512;
/** One child each; an exact run records its top-1 ids, the reference of the quantised runs of its size after it. */
const RUNS: { kernel: string; dim: number; representation: Representation; embedder?: string }[] = [
  { kernel: 'wasm-simd', dim: DIM, representation: 'exact' },
  { kernel: 'wasm-simd', dim: DIM, representation: 'int8' },
  { kernel: 'wasm-simd', dim: DIM, representation: 'staged' },
  { kernel: 'js', dim: DIM, representation: 'exact' },
  { kernel: 'wasm-simd', dim: 128, representation: 'exact', embedder: 'faceapi-recognition' },
  { kernel: 'wasm-simd', dim: 128, representation: 'int8', embedder: 'faceapi-recognition' },
  { kernel: 'wasm-simd', dim: 128, representation: 'staged', embedder: 'faceapi-recognition' },
];

/** The cache of LFW embeddings for `embedder` (made on first use: minutes), or undefined without LFW. */
async function faces(embedder?: string): Promise<string | undefined> {
  if (!existsSync(LFW_DIR)) return undefined;
  return runChild<string>('./search-faces.ts', embedder ? ['--embedder', embedder] : [], 3_600_000);
}

export async function runSearch(quick: boolean): Promise<SearchPoint[]> {
  const runs = quick
    ? ['--runs', '3', '--budget', '2000', '--queries', '50']
    : ['--runs', '15', '--budget', '5000', '--queries', '200'];
  const points: SearchPoint[] = [];
  for (const [i, { kernel, dim, representation, embedder }] of RUNS.entries()) {
    const base = await faces(embedder);
    const record = representation === 'exact' && RUNS[i + 1]?.representation !== 'exact';
    const exact = points.filter((p) => p.top && p.dim === dim);
    const reference =
      representation !== 'exact' && exact.length ? exact.map((p) => [p.size, p.top]) : undefined;
    points.push(
      ...(await runChild<SearchPoint[]>(
        './search-child.ts',
        [
          ...runs,
          ...['--kernel', kernel, '--dim', String(dim), '--representation', representation],
          ...(base ? ['--faces', base] : []),
          ...(record ? ['--record'] : []),
          ...(reference ? ['--reference', JSON.stringify(reference)] : []),
        ],
        1_200_000,
        ['--expose-gc'],
      )),
    );
  }
  const embedders = [...new Set(points.map((p) => p.embedder && `${p.embedder} (${p.dim}-d)`))];
  printTable({
    title: '4. Similarity search, server/src/search/vector-index.ts (VectorIndex), top-1, ms (median)',
    headers: [
      'embeddings',
      'dim',
      'kernel',
      'index',
      'search(q, 1)',
      'CPU',
      'searchSubjects(q, 1)',
      'CPU',
      'runs',
      'memory',
      'per 100k',
      'recall@1',
      'filled in',
      'self-match',
      'load',
    ],
    rows: points.map((p) => [
      p.size.toLocaleString('en-US'),
      String(p.dim),
      p.kernel,
      p.representation,
      median(p.search.map((r) => r.wall)),
      median(p.search.map((r) => r.cpu)),
      median(p.searchSubjects.map((r) => r.wall)),
      median(p.searchSubjects.map((r) => r.cpu)),
      String(p.search.length),
      mb(p.bytes),
      mb((p.bytes / p.size) * 100_000),
      p.representation === 'exact' ? (p.top ? 'reference' : '') : `${p.recall.same}/${p.recall.queries}`,
      `${ms(p.buildMs / 1000)} s`,
      p.correct ? 'ok' : 'WRONG',
      p.load.toFixed(1),
    ]),
    notes: [
      'Measured: the VectorIndex class the server uses, not a separate loop. exact: every row scored in float32 (the',
      'index below SEARCH_QUANTISE_FROM rows); int8: int8 rows with a scale each scanned for the best 2k / k + 32',
      'candidates, re-ranked with their float rows read back from the index’s temporary file (the index from',
      'SEARCH_QUANTISE_FROM rows; `int8` here with SEARCH_CANDIDATES=0); staged: the same, but the int8 scan scores only',
      'the SEARCH_CANDIDATES rows whose sign codes (sign-codes.ts, randomised Hadamard rotation, one bit per output)',
      "are nearest the query's in Hamming distance (the default from 4 x SEARCH_CANDIDATES rows; below that the row says",
      'int8). wasm-simd: rows in wasm linear memory, f32x4 or i16 dot products (Hamming: i64.popcnt) 8192 rows per',
      'call, only rows beating the heap floor come back to JS (the default); js: the pure-JS fallback.',
      embedders.some(Boolean)
        ? `Rows: LFW View 1's faces by ${embedders.filter(Boolean).join(', ')}, less one held-out photo per person who has`
        : 'Rows: random vectors (LFW View 1 not found).',
      embedders.some(Boolean)
        ? 'two or more, then random fill (uniform coordinates, L2-normalised); queries: the held-out photos, cycled.'
        : 'Queries: random vectors.',
      'recall@1: queries whose top-1 is the exact index’s top-1 at the same size, same rows. String ids, 4 random',
      'rows per subject. searchSubjects is what /recognize calls (best example per distinct subject). Memory: heap +',
      'external (ArrayBuffers, wasm memory) after a forced GC, including ids, subject ids and the unused room (the',
      `capacity grows by a 16th; raw float32 vectors per 100k: ${mb(DIM * 4 * 100_000)} at ${DIM}-d, ${mb(128 * 4 * 100_000)} at 128-d); the int8 index's`,
      'float rows live in its unlinked temporary file (in the page cache while memory allows), not counted.',
      'CPU: process CPU time of the query (one thread), less sensitive to other load than wall-clock.',
      'self-match: a stored vector plus noise finds itself. load: the 1-minute load average when the size was timed',
      '(2 cores here, shared with other work).',
    ],
  });
  return points;
}
