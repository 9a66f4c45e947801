// Child process (run with --expose-gc): fills the server's VectorIndex (with the kernel asked for) with random
// unit vectors up to each size and times top-1 queries; memory is the heap + external (ArrayBuffers and wasm
// memories) growth after a full GC.
import { parseArgs } from 'node:util';
import type { KernelName } from '../../server/src/search/kernels.js';
import { VectorIndex } from '../../server/src/search/vector-index.js';
import { sendResult } from './child.js';
import { median, now, repeat } from './stats.js';

export interface SearchPoint {
  kernel: KernelName;
  dim: number;
  size: number;
  buildMs: number;
  /** Heap + external memory (ArrayBuffers, wasm memory) held by the index, bytes. */
  bytes: number;
  /** Wall-clock and CPU milliseconds per query. */
  search: { wall: number; cpu: number }[];
  searchSubjects: { wall: number; cpu: number }[];
  /** Whether a stored vector plus noise found itself. */
  correct: boolean;
}

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10000,100000,1000000' },
    dim: { type: 'string', default: '128' },
    runs: { type: 'string', default: '9' },
    budget: { type: 'string', default: '5000' },
    perSubject: { type: 'string', default: '4' },
    kernel: { type: 'string', default: 'wasm-simd' },
  },
});
const dim = Number(values.dim);
const kernel = values.kernel as KernelName;
const perSubject = Number(values.perSubject);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

/** xorshift32: fast, seeded, so that filling a million vectors costs little next to VectorIndex.add. */
let seed = 0x9e3779b9;
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

const used = () => {
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
};

const base = used();
const index = new VectorIndex(dim, { kernel });
const points: SearchPoint[] = [];
let buildMs = 0;
for (const size of values.sizes.split(',').map(Number)) {
  const t = now();
  for (let i = index.size; i < size; i++)
    index.add(`e${i}`, `s${Math.floor(i / perSubject)}`, randomVector());
  buildMs += now() - t;
  const bytes = used() - base;
  const s = { warmup: 1, runs: Number(values.runs), budgetMs: Number(values.budget) };
  const time = async (fn: (q: Float32Array) => unknown) =>
    repeat(async () => {
      const q = randomVector().slice();
      const t0 = now();
      const c = process.cpuUsage();
      fn(q);
      const cpu = process.cpuUsage(c);
      return { wall: now() - t0, cpu: (cpu.user + cpu.system) / 1000 };
    }, s);
  const search = await time((q) => index.search(q, 1));
  const searchSubjects = await time((q) => index.searchSubjects(q, 1));
  const probeId = `e${Math.floor(size / 2)}`;
  const probe = index.vector(probeId)!.map((x) => x + (Math.random() - 0.5) * 0.01);
  const correct = index.search(probe, 1)[0]?.id === probeId;
  points.push({ kernel: index.kernelName, dim, size, buildMs, bytes, search, searchSubjects, correct });
  process.stderr.write(`search ${kernel} ${size}: ${median(search.map((r) => r.wall)).toFixed(1)} ms\n`);
}
sendResult(points);
