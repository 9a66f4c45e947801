// Does splitting the int8 scan across two threads pay on this machine? One shared wasm memory holding 1M 512-d
// int8 rows; the same scan alternately by the main thread alone and by the main thread plus one worker (half the
// rows each, a synchronous hand-off through Atomics as a blocking search would need). Prints both and their ratio.
// Run: node --import tsx test/bench/search-threads.ts [rows] [dim] [trials]
import { Worker } from 'node:worker_threads';
import { SCAN8_SHARED_WASM, type Scan8Fn } from '../../server/src/search/wasm-scan8.js';
import { median } from './stats.js';

const [rows, dim, trials] = [1_000_000, 512, 15].map((d, i) => Number(process.argv[2 + i] ?? d));
const BLOCK = 8192;
const layout = { rows, dim, BLOCK, queryAt: 2 * BLOCK * 8, dataAt: 2 * BLOCK * 8 + dim * 2, half: rows >> 1 };
const scalesAt = layout.dataAt + rows * dim;
const module = new WebAssembly.Module(SCAN8_SHARED_WASM);
const memory = new WebAssembly.Memory({
  initial: Math.ceil((scalesAt + rows * 4) / 65536),
  maximum: 65536,
  shared: true,
});
const scan8 = new WebAssembly.Instance(module, { env: { memory } }).exports.scan8 as Scan8Fn;
const data = new Int8Array(memory.buffer, layout.dataAt, rows * dim);
for (let i = 0; i < data.length; i++) data[i] = Math.imul(i, 2654435761) >> 24;
new Float32Array(memory.buffer, scalesAt, rows).fill(1);
new Int16Array(memory.buffer, layout.queryAt, dim).forEach((_, i, q) => (q[i] = ((i * 37) % 255) - 127));

/** Scans rows [from, to) with the candidate area of thread `t`; the floor lets no row through (scan cost only). */
function scanRange(from: number, to: number, t: number): void {
  for (let at = from; at < to; at += BLOCK) {
    const out = t * BLOCK * 8;
    const n = Math.min(BLOCK, to - at);
    scan8(
      layout.queryAt,
      layout.dataAt + at * dim,
      n,
      dim,
      scalesAt + at * 4,
      1e30,
      out,
      out + BLOCK * 4,
      at,
    );
  }
}

// The worker's code, inline: wait for a job number to change, scan the second half, flag done.
const WORKER = `
const { workerData: w, parentPort } = require('node:worker_threads');
const scan8 = new WebAssembly.Instance(w.module, { env: { memory: w.memory } }).exports.scan8;
const { rows, dim, BLOCK, queryAt, dataAt, half } = w.layout;
const scalesAt = dataAt + rows * dim;
parentPort.postMessage('ready');
for (let seen = 0; ; ) {
  Atomics.wait(w.control, 0, seen);
  seen = Atomics.load(w.control, 0);
  for (let at = half; at < rows; at += BLOCK)
    scan8(queryAt, dataAt + at * dim, Math.min(BLOCK, rows - at), dim, scalesAt + at * 4, 1e30, BLOCK * 8, BLOCK * 12, at);
  Atomics.store(w.control, 1, seen);
  Atomics.notify(w.control, 1);
}`;
const control = new Int32Array(new SharedArrayBuffer(8));
const worker = new Worker(WORKER, { eval: true, workerData: { module, memory, control, layout } });
await new Promise((resolve) => worker.once('message', resolve));

const one: number[] = [];
const two: number[] = [];
for (let job = 1; job <= trials; job++) {
  let t0 = performance.now();
  scanRange(0, rows, 0);
  one.push(performance.now() - t0);
  t0 = performance.now();
  Atomics.store(control, 0, job);
  Atomics.notify(control, 0);
  scanRange(0, layout.half, 0);
  while (Atomics.load(control, 1) !== job) Atomics.wait(control, 1, job - 1, 1000);
  two.push(performance.now() - t0);
}
await worker.terminate();
const [a, b] = [median(one), median(two)];
console.log(
  `${rows} x ${dim}-d int8 scan, median of ${trials}: one thread ${a.toFixed(1)} ms, two threads ${b.toFixed(1)} ms (${(a / b).toFixed(2)}x)`,
);
