// Section 4: exact cosine search at 10k, 100k and 1M embeddings through the server's VectorIndex, once per
// scoring kernel (WebAssembly SIMD, then the JS fallback), each in its own process.
import { runChild } from './child.js';
import type { SearchPoint } from './search-child.js';
import { median } from './stats.js';
import { mb, ms, printTable } from './table.js';

/** The default embedder's size (faceplugin-recognition); face-api's ResNet gives 128-d, measured alongside. */
const DIM = 512;
const RUNS: { kernel: string; dim: number }[] = [
  { kernel: 'wasm-simd', dim: DIM },
  { kernel: 'js', dim: DIM },
  { kernel: 'wasm-simd', dim: 128 },
];

export async function runSearch(quick: boolean): Promise<SearchPoint[]> {
  const runs = quick ? ['--runs', '3', '--budget', '2000'] : ['--runs', '9', '--budget', '5000'];
  const points: SearchPoint[] = [];
  for (const { kernel, dim } of RUNS)
    points.push(
      ...(await runChild<SearchPoint[]>(
        './search-child.ts',
        [...runs, '--kernel', kernel, '--dim', String(dim)],
        600_000,
        ['--expose-gc'],
      )),
    );
  printTable({
    title: '4. Similarity search, server/src/search/vector-index.ts (VectorIndex), top-1, ms (median)',
    headers: [
      'embeddings',
      'dim',
      'kernel',
      'search(q, 1)',
      'CPU',
      'searchSubjects(q, 1)',
      'CPU',
      'runs',
      'memory',
      'per 100k',
      'filled in',
      'self-match',
    ],
    rows: points.map((p) => [
      p.size.toLocaleString('en-US'),
      String(p.dim),
      p.kernel,
      median(p.search.map((r) => r.wall)),
      median(p.search.map((r) => r.cpu)),
      median(p.searchSubjects.map((r) => r.wall)),
      median(p.searchSubjects.map((r) => r.cpu)),
      String(p.search.length),
      mb(p.bytes),
      mb((p.bytes / p.size) * 100_000),
      `${ms(p.buildMs / 1000)} s`,
      p.correct ? 'ok' : 'WRONG',
    ]),
    notes: [
      'Measured: the VectorIndex class the server uses (exact dot product over one contiguous block of rows, a top-k',
      'heap), not a separate loop. wasm-simd: the rows in wasm linear memory, f32x4 dot products 8192 rows per call,',
      'only rows beating the heap floor come back to JS (the default); js: the pure-JS fallback over a Float32Array.',
      'Random vectors (uniform coordinates, L2-normalised by VectorIndex.add);',
      'string ids, 4 examples per subject. searchSubjects is what /recognize calls (best example per distinct subject).',
      'A fresh random query per run after 1 warm-up. Memory: heap + external (ArrayBuffers, wasm memory) after a',
      `forced GC, including ids, subject ids and the growth-by-doubling slack (raw vectors per 100k: ${mb(DIM * 4 * 100_000)} at ${DIM}-d, ${mb(128 * 4 * 100_000)} at 128-d).`,
      'CPU: process CPU time of the query (one thread), less sensitive to other load than wall-clock.',
      'self-match: a stored vector plus noise finds itself.',
    ],
  });
  return points;
}
