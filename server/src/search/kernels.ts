// Where VectorIndex keeps its rows and how it scores them: a WebAssembly SIMD kernel over rows in the wasm
// linear memory (the default where WebAssembly SIMD exists), or a plain-JS kernel over a Float32Array.
// Both feed the same TopK only the rows that beat its floor, so they rank identically.
import { BLOCK, compiled, JsRows, WasmRows } from './rows.js';
import { TopK } from './top-k.js';
import { SCAN_WASM, type ScanFn } from './wasm-scan.js';

export type KernelName = 'wasm-simd' | 'js';

export interface Kernel {
  readonly name: KernelName;
  /** Floats per stored row: the dimension, zero-padded to a multiple of 16 for the SIMD kernel. */
  readonly stride: number;
  /** The rows (capacity × stride floats); a fresh view after every `resize`. */
  readonly data: Float32Array;
  /** Makes room for `capacity` rows, keeping the first ones. */
  resize(capacity: number): void;
  /** Stores the unit vector `v` (dim long) at `slot`. */
  set(slot: number, v: Float32Array): void;
  /** Copies row `from` over row `to`. */
  move(from: number, to: number): void;
  /** Offers `top` every row among the first `rows` that scores above its floor against `query` (unit, dim long). */
  scan(query: Float32Array, rows: number, top: TopK): void;
}

/** Whether the WebAssembly SIMD kernel can run here. */
export const simdAvailable = (): boolean => compiled(SCAN_WASM) !== null;

/** A kernel for `dim`-d rows: `auto` takes WebAssembly SIMD where it exists, JS otherwise. */
export function createKernel(dim: number, capacity: number, choice: KernelName | 'auto' = 'auto'): Kernel {
  const module = choice === 'js' ? null : compiled(SCAN_WASM);
  if (choice === 'wasm-simd' && !module) throw new Error('WebAssembly SIMD is not available in this runtime');
  return module ? new WasmKernel(module, dim, capacity) : new JsKernel(dim, capacity);
}

class JsKernel extends JsRows<Float32Array> implements Kernel {
  readonly name = 'js';

  constructor(
    private readonly dim: number,
    capacity: number,
  ) {
    super(Float32Array, dim, capacity);
  }

  set(slot: number, v: Float32Array): void {
    this.data.set(v, slot * this.stride);
  }

  scan(q: Float32Array, rows: number, top: TopK): void {
    const d = this.dim;
    const data = this.data;
    const d4 = d - (d % 4);
    let floor = top.floor;
    for (let i = 0, off = 0; i < rows; i++, off += d) {
      // Four independent accumulators let the JIT pipeline the multiply-adds (about 2x over one sum).
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let j = 0;
      for (; j < d4; j += 4) {
        s0 += data[off + j] * q[j];
        s1 += data[off + j + 1] * q[j + 1];
        s2 += data[off + j + 2] * q[j + 2];
        s3 += data[off + j + 3] * q[j + 3];
      }
      for (; j < d; j++) s0 += data[off + j] * q[j];
      // rounded to float32 like a stored score, so that both kernels compare the same numbers
      const score = Math.fround(s0 + s1 + s2 + s3);
      if (score > floor) {
        top.push(i, score);
        floor = top.floor;
      }
    }
  }
}

/** Rows zero-padded to a multiple of 16 floats; the query sits in the memory before them (rows.ts). */
class WasmKernel extends WasmRows<Float32Array> implements Kernel {
  readonly name = 'wasm-simd';

  constructor(
    module: WebAssembly.Module,
    private readonly dim: number,
    capacity: number,
  ) {
    const stride = Math.ceil(dim / 16) * 16;
    super([module], Float32Array, stride, stride * 4, capacity);
  }

  set(slot: number, v: Float32Array): void {
    this.data.set(v, slot * this.stride);
  }

  scan(query: Float32Array, rows: number, top: TopK): void {
    const buffer = this.memory.buffer;
    new Float32Array(buffer, this.queryAt, this.dim).set(query);
    const slots = new Int32Array(buffer, 0, BLOCK);
    const scores = new Float32Array(buffer, BLOCK * 4, BLOCK);
    const scan = this.exports.scan as ScanFn;
    for (let from = 0; from < rows; from += BLOCK) {
      const floor = top.floor;
      if (floor === Infinity) return;
      const n = Math.min(BLOCK, rows - from);
      const found = scan(this.queryAt, this.rowAt(from), n, this.stride * 4, floor, 0, BLOCK * 4, from);
      for (let i = 0; i < found; i++) top.push(slots[i], scores[i]);
    }
  }
}
