// Child process (run with --expose-gc): fills the server's VectorIndex, exact, quantised (int8 rows, exact
// re-rank) or staged (sign codes pick the rows the int8 scan scores), up to each size and times top-1 queries. Rows: LFW's faces (when their embeddings are cached, see
// search-faces.ts) less one held-out photo per person, then random fill (the same in every run); queries: the
// held-out photos (random vectors without faces). recall@1: the top-1 of every query against the exact run's
// (`--reference`, what an exact run with `--record` returned as `top`). Memory: the heap + external (ArrayBuffers
// and wasm memories) growth after a full GC.
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { KernelName } from '../../server/src/search/kernels.js';
import { VectorIndex } from '../../server/src/search/vector-index.js';
import { sendResult } from './child.js';
import { readFaces } from './search-faces.js';
import { median, now, repeat } from './stats.js';

/** exact: float rows; int8: every int8 row scanned; staged: sign codes first, then the int8 rows of their candidates. */
export type Representation = 'exact' | 'int8' | 'staged';

export interface SearchPoint {
  kernel: KernelName;
  representation: Representation;
  dim: number;
  size: number;
  /** Real face embeddings among the rows (the rest is random fill), and the embedder that made them. */
  faces: number;
  embedder?: string;
  buildMs: number;
  /** Heap + external memory (ArrayBuffers, wasm memory) held by the index, bytes. */
  bytes: number;
  /** Wall-clock and CPU milliseconds per query. */
  search: { wall: number; cpu: number }[];
  searchSubjects: { wall: number; cpu: number }[];
  /** Queries whose top-1 equals the exact index's, of `queries` (without a reference: NaN). */
  recall: { same: number; queries: number };
  /** The top-1 id of every query (exact runs with --record). */
  top?: string[];
  /** Whether a stored vector plus noise found itself. */
  correct: boolean;
  /** The 1-minute load average when the size's queries were timed. */
  load: number;
}

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10000,100000,1000000' },
    dim: { type: 'string', default: '128' },
    runs: { type: 'string', default: '9' },
    budget: { type: 'string', default: '5000' },
    perSubject: { type: 'string', default: '4' },
    kernel: { type: 'string', default: 'wasm-simd' },
    representation: { type: 'string', default: 'exact' },
    record: { type: 'boolean', default: false },
    reference: { type: 'string' },
    faces: { type: 'string' },
    queries: { type: 'string', default: '200' },
    candidates: { type: 'string' },
    codeBits: { type: 'string' },
  },
});
const dim = Number(values.dim);
const kernel = values.kernel as KernelName;
const perSubject = Number(values.perSubject);
const sizes = values.sizes.split(',').map(Number);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

/** xorshift32: fast, seeded, so that filling a million vectors costs little next to VectorIndex.add. */
let seed = 0;
const random = () => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 2 ** 32;
};

/** A random vector, coordinates uniform in [-1, 1) (VectorIndex.add normalises it); one scratch buffer. */
const scratch = new Float32Array(dim);
function randomVector(): Float32Array {
  for (let i = 0; i < dim; i++) scratch[i] = 2 * random() - 1;
  return scratch;
}

/** The faces to index (person, vector) and the held-out query photos. */
const faceRows: { person: string; v: Float32Array }[] = [];
let queries: Float32Array[] = [];
let embedder: string | undefined;
if (values.faces) {
  const { set, rows } = await readFaces(values.faces);
  if (set.dim !== dim) throw new Error(`${values.faces}: ${set.dim}-d, expected ${dim}`);
  embedder = set.embedder;
  const at = (i: number) => rows.subarray(i * dim, (i + 1) * dim);
  set.people.forEach((person, i) => {
    // a person's last photo is a query when the person has another photo in the index
    const last = set.people[i + 1] !== person;
    if (last && set.people[i - 1] === person) queries.push(at(i));
    else faceRows.push({ person, v: at(i) });
  });
}
seed = 0x2545f491;
while (queries.length < Number(values.queries)) queries.push(randomVector().slice());
queries = queries.slice(0, Number(values.queries));

const used = () => {
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
};

const points: SearchPoint[] = [];
/** Each size's exact top-1 id per query. */
const reference = new Map<number, string[]>(
  values.reference ? (JSON.parse(values.reference) as [number, string[]][]) : [],
);
const representation = values.representation as Representation;
seed = 0x9e3779b9; // the same random fill in every run
const base = used();
const index = new VectorIndex(dim, {
  kernel,
  quantiseFrom: representation === 'exact' ? 0 : 1,
  candidates: representation === 'int8' ? 0 : values.candidates ? Number(values.candidates) : undefined,
  codeBits: values.codeBits ? Number(values.codeBits) : undefined,
});
let buildMs = 0;
{
  for (const size of sizes) {
    const t = now();
    for (let i = index.size; i < size; i++) {
      const face = faceRows[i];
      if (face) index.add(`f${i}`, face.person, face.v);
      else index.add(`e${i}`, `s${Math.floor(i / perSubject)}`, randomVector());
    }
    buildMs += now() - t;
    const bytes = used() - base;
    const s = { warmup: 1, runs: Number(values.runs), budgetMs: Number(values.budget) };
    let next = 0;
    const time = async (fn: (q: Float32Array) => unknown) =>
      repeat(async () => {
        const q = queries[next++ % queries.length];
        const t0 = now();
        const c = process.cpuUsage();
        fn(q);
        const cpu = process.cpuUsage(c);
        return { wall: now() - t0, cpu: (cpu.user + cpu.system) / 1000 };
      }, s);
    const load = loadavg()[0];
    const search = await time((q) => index.search(q, 1));
    const searchSubjects = await time((q) => index.searchSubjects(q, 1));
    const record = values.record || reference.has(size);
    const top = record ? queries.map((q) => index.search(q, 1)[0]?.id ?? '') : undefined;
    const exact = reference.get(size);
    const same = top && exact ? top.filter((id, i) => id === exact[i]).length : NaN;
    const probeId = index.has(`e${Math.floor(size / 2)}`) ? `e${Math.floor(size / 2)}` : 'f0';
    const probe = index.vector(probeId)!.map((x) => x + (Math.random() - 0.5) * 0.01);
    const correct = index.search(probe, 1)[0]?.id === probeId;
    points.push({
      kernel: index.kernelName,
      representation: index.staged ? 'staged' : index.representation,
      dim,
      size,
      faces: Math.min(size, faceRows.length),
      embedder,
      buildMs,
      bytes,
      search,
      searchSubjects,
      recall: { same, queries: queries.length },
      top: values.record ? top : undefined,
      correct,
      load,
    });
    process.stderr.write(
      `search ${kernel} ${representation} ${dim}-d ${size}: ${median(search.map((r) => r.wall)).toFixed(1)} ms, recall@1 ${same}/${queries.length}\n`,
    );
  }
}
sendResult(points);
