// The quantised rows of a large VectorIndex: each unit vector as int8 values with one f32 scale per row
// (x ≈ scale · q, scale = max|x| / 127), scored against an int16 query by a WebAssembly SIMD kernel (the default
// where SIMD exists) or plain JS. Scores are approximate dot products, only good for choosing the candidates
// that VectorIndex then re-ranks with the exact float vectors.
import { type KernelName } from './kernels.js';
import { BLOCK, compiled, JsRows, WasmRows } from './rows.js';
import { TopK } from './top-k.js';
import { SCAN8_AT_WASM, SCAN8_WASM, type Scan8Fn } from './wasm-scan8.js';

export interface Int8Kernel {
  readonly name: KernelName;
  /** Bytes per stored row: the dimension, zero-padded to a multiple of 64. */
  readonly stride: number;
  /** Makes room for `capacity` rows, keeping the first ones. */
  resize(capacity: number): void;
  /** Stores the unit vector `v` (dim long) quantised at `slot`. */
  set(slot: number, v: Float32Array): void;
  /** Copies row `from` over row `to`. */
  move(from: number, to: number): void;
  /** Offers `top` every row among the first `rows` whose approximate score against the unit `query` beats its floor. */
  scan(query: Float32Array, rows: number, top: TopK): void;
  /** The same over the rows at `slots` only (the first stage's candidates). */
  scanSlots(query: Float32Array, slots: Int32Array, top: TopK): void;
}

/** Bytes per stored row of `dim` values: zero-padded to a multiple of 64. */
const stride8 = (dim: number) => Math.ceil(dim / 64) * 64;

/** Rows in the first call into wasm; each next call doubles it up to BLOCK. */
const FIRST_CHUNK = 256;

/** Quantises `v` into `out` (int8, |q| ≤ 127); returns the scale that maps them back (0 for a zero vector). */
export function quantise(v: Float32Array, out: Int8Array): number {
  let max = 0;
  for (let i = 0; i < v.length; i++) max = Math.max(max, Math.abs(v[i]));
  if (max === 0) {
    out.fill(0);
    return 0;
  }
  const k = 127 / max;
  for (let i = 0; i < v.length; i++) out[i] = Math.round(v[i] * k);
  return max / 127;
}

/**
 * The query as int16 values into `out`; returns their scale. Their range keeps every integer sum under 2^31
 * (127 · qmax · stride), so the query adds almost no error of its own: 32,767 levels up to 512-d rows.
 */
export function quantiseQuery(q: Float32Array, stride: number, out: Int16Array): number {
  const qmax = Math.min(32767, Math.floor(0x7fffffff / (127 * stride)));
  let max = 0;
  for (let i = 0; i < q.length; i++) max = Math.max(max, Math.abs(q[i]));
  if (max === 0) return 0;
  const k = qmax / max;
  for (let i = 0; i < q.length; i++) out[i] = Math.round(q[i] * k);
  return max / qmax;
}

/** An int8 kernel for `dim`-d rows: `auto` takes WebAssembly SIMD where it exists, JS otherwise. */
export function createInt8Kernel(
  dim: number,
  capacity: number,
  choice: KernelName | 'auto' = 'auto',
): Int8Kernel {
  const module = choice === 'js' ? null : compiled(SCAN8_WASM);
  const gather = choice === 'js' ? null : compiled(SCAN8_AT_WASM);
  if (choice === 'wasm-simd' && !(module && gather))
    throw new Error('WebAssembly SIMD is not available in this runtime');
  return module && gather
    ? new WasmInt8Kernel(module, gather, dim, capacity)
    : new JsInt8Kernel(dim, capacity);
}

/** The plain-JS kernel, also the reference the SIMD one is tested against. */
export class JsInt8Kernel extends JsRows<Int8Array> implements Int8Kernel {
  readonly name = 'js';
  private readonly query: Int16Array;

  constructor(
    private readonly dim: number,
    capacity: number,
  ) {
    super(Int8Array, stride8(dim), capacity, true);
    this.query = new Int16Array(this.stride);
  }

  set(slot: number, v: Float32Array): void {
    this.extra[slot] = quantise(v, this.row(slot).subarray(0, this.dim));
  }

  scan(query: Float32Array, rows: number, top: TopK): void {
    const qScale = quantiseQuery(query, this.stride, this.query);
    let floor = top.floor;
    for (let i = 0; i < rows; i++) {
      const score = this.score(i, qScale);
      if (score > floor) {
        top.push(i, score);
        floor = top.floor;
      }
    }
  }

  scanSlots(query: Float32Array, slots: Int32Array, top: TopK): void {
    const qScale = quantiseQuery(query, this.stride, this.query);
    let floor = top.floor;
    for (const slot of slots) {
      const score = this.score(slot, qScale);
      if (score > floor) {
        top.push(slot, score);
        floor = top.floor;
      }
    }
  }

  /** Row `slot`'s approximate score against the query last quantised (whose scale is `qScale`). */
  private score(slot: number, qScale: number): number {
    const { dim, query: q, data } = this;
    const off = slot * this.stride;
    let sum = 0;
    for (let j = 0; j < dim; j++) sum += data[off + j] * q[j];
    return Math.fround(Math.fround(Math.fround(sum) * this.extra[slot]) * qScale);
  }
}

/** Rows zero-padded to a multiple of 64 bytes, their scales behind them; the int16 query before them (rows.ts). */
class WasmInt8Kernel extends WasmRows<Int8Array> implements Int8Kernel {
  readonly name = 'wasm-simd';

  constructor(
    module: WebAssembly.Module,
    gather: WebAssembly.Module,
    private readonly dim: number,
    capacity: number,
  ) {
    const stride = stride8(dim);
    super([module, gather], Int8Array, stride, stride * 2, capacity, true);
  }

  set(slot: number, v: Float32Array): void {
    this.extra[slot] = quantise(v, this.row(slot).subarray(0, this.dim));
  }

  scan(query: Float32Array, rows: number, top: TopK): void {
    const buffer = this.memory.buffer;
    const qScale = quantiseQuery(query, this.stride, new Int16Array(buffer, this.queryAt, this.stride));
    if (qScale === 0) {
      // a zero query scores 0 everywhere: the first rows, as the exact kernels rank ties
      for (let i = 0; i < rows && top.floor < 0; i++) top.push(i, 0);
      return;
    }
    const slots = new Int32Array(buffer, 0, BLOCK);
    const scores = new Float32Array(buffer, BLOCK * 4, BLOCK);
    const scalesAt = this.extraAt(this.capacity);
    const scan = this.exports.scan8 as Scan8Fn;
    for (let from = 0, chunk = FIRST_CHUNK; from < rows; from += chunk, chunk = Math.min(BLOCK, 2 * chunk)) {
      const floor = top.floor;
      if (floor === Infinity) return;
      const n = Math.min(chunk, rows - from);
      const found = scan(
        this.queryAt,
        this.rowAt(from),
        n,
        this.stride,
        scalesAt + from * 4,
        floor / qScale,
        0,
        BLOCK * 4,
        from,
      );
      for (let i = 0; i < found; i++) top.push(slots[i], Math.fround(scores[i] * qScale));
    }
  }

  scanSlots(query: Float32Array, candidates: Int32Array, top: TopK): void {
    const buffer = this.memory.buffer;
    const qScale = quantiseQuery(query, this.stride, new Int16Array(buffer, this.queryAt, this.stride));
    if (qScale === 0) {
      // a zero query scores 0 everywhere: the lowest slots, as the exact kernels rank ties
      for (const slot of [...candidates].sort((a, b) => a - b)) if (top.floor < 0) top.push(slot, 0);
      return;
    }
    const slots = new Int32Array(buffer, 0, BLOCK);
    const scores = new Float32Array(buffer, BLOCK * 4, BLOCK);
    const scalesAt = this.extraAt(this.capacity);
    const gather = this.exports.scan8at as Scan8Fn;
    // small chunks first, so that the heap's floor rises before most rows are offered (few come back to JS)
    for (
      let from = 0, chunk = FIRST_CHUNK;
      from < candidates.length;
      from += chunk, chunk = Math.min(BLOCK, 2 * chunk)
    ) {
      const floor = top.floor;
      if (floor === Infinity) return;
      const n = Math.min(chunk, candidates.length - from);
      slots.set(candidates.subarray(from, from + n));
      const found = gather(
        this.queryAt,
        this.dataAt,
        n,
        this.stride,
        scalesAt,
        floor / qScale,
        0,
        BLOCK * 4,
        0,
      );
      for (let i = 0; i < found; i++) top.push(slots[i], Math.fround(scores[i] * qScale));
    }
  }
}
