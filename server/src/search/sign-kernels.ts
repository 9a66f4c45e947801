// The sign codes of a large quantised VectorIndex (sign-codes.ts), slot for slot with its int8 rows, and the first
// stage of its search: the codes nearest the query's by Hamming distance become the candidates that the int8 rows
// then score. A WebAssembly SIMD kernel (the default where SIMD exists) or plain JS scans them in blocks; the
// distance limit tightens after each block to the smallest that still keeps the number of candidates asked for,
// and every code tied at the final limit is kept too, so the result does not depend on the rows' order.
import { type KernelName } from './kernels.js';
import { BLOCK, compiled, JsRows, WasmRows } from './rows.js';
import { cutoff, hamming, SignProjection } from './sign-codes.js';
import { hammingWasm, type HammingFn } from './wasm-hamming.js';

export interface SignKernel {
  readonly name: KernelName;
  /** Bytes per code. */
  readonly stride: number;
  /** Makes room for `capacity` codes, keeping the first ones. */
  resize(capacity: number): void;
  /** Stores the code of `v` (dim long) at `slot`. */
  set(slot: number, v: Float32Array): void;
  /** Copies code `from` over code `to`. */
  move(from: number, to: number): void;
  /**
   * The slots among the first `rows` whose codes are nearest the code of `query`: at least `want` of them (all rows
   * when there are fewer), every slot at the last distance included. In no particular order.
   */
  candidates(query: Float32Array, rows: number, want: number): Int32Array;
}

/** A sign-code kernel for `dim`-d vectors: `auto` takes WebAssembly SIMD where it exists, JS otherwise. */
export function createSignKernel(
  dim: number,
  capacity: number,
  choice: KernelName | 'auto' = 'auto',
  bits?: number,
): SignKernel {
  const projection = new SignProjection(dim, bits);
  if (projection.bits % 128)
    throw new RangeError(`code bits must be a multiple of 128, got ${projection.bits}`);
  const module = choice === 'js' ? null : compiled(hammingWasm(projection.bytes));
  if (choice === 'wasm-simd' && !module) throw new Error('WebAssembly SIMD is not available in this runtime');
  return module ? new WasmSignKernel(module, projection, capacity) : new JsSignKernel(projection, capacity);
}

/** The candidates found so far: (slot, distance) pairs, a count per distance and the current distance limit. */
class Gathered {
  slots: Int32Array;
  dists: Int32Array;
  length = 0;
  readonly histogram: Int32Array;
  limit: number;

  constructor(
    bits: number,
    private readonly want: number,
  ) {
    this.histogram = new Int32Array(bits + 1);
    this.limit = bits;
    this.slots = new Int32Array(Math.max(BLOCK, 2 * want));
    this.dists = new Int32Array(this.slots.length);
  }

  push(slots: Int32Array, dists: Int32Array, n: number): void {
    if (this.length + n > this.slots.length) this.compact(n);
    this.slots.set(slots.subarray(0, n), this.length);
    this.dists.set(dists.subarray(0, n), this.length);
    this.length += n;
    for (let i = 0; i < n; i++) this.histogram[dists[i]]++;
    this.limit = cutoff(this.histogram, this.want);
  }

  /** Drops the pairs beyond the limit, growing the arrays if `extra` more still do not fit. */
  private compact(extra: number): void {
    let kept = 0;
    for (let i = 0; i < this.length; i++) {
      if (this.dists[i] > this.limit) continue;
      this.slots[kept] = this.slots[i];
      this.dists[kept++] = this.dists[i];
    }
    this.length = kept;
    if (kept + extra > this.slots.length) {
      const size = 2 * (kept + extra);
      const slots = new Int32Array(size);
      const dists = new Int32Array(size);
      slots.set(this.slots.subarray(0, kept));
      dists.set(this.dists.subarray(0, kept));
      [this.slots, this.dists] = [slots, dists];
    }
  }

  result(): Int32Array {
    this.compact(0);
    return this.slots.slice(0, this.length);
  }
}

/** The plain-JS kernel, also the reference the SIMD one is tested against. */
export class JsSignKernel extends JsRows<Uint8Array> implements SignKernel {
  readonly name = 'js';
  private readonly query: Uint8Array;
  private readonly queryWords: Uint32Array;

  constructor(
    private readonly projection: SignProjection,
    capacity: number,
  ) {
    super(Uint8Array, projection.bytes, capacity);
    this.query = new Uint8Array(this.stride);
    this.queryWords = new Uint32Array(this.query.buffer);
  }

  set(slot: number, v: Float32Array): void {
    this.projection.encode(v, this.row(slot));
  }

  candidates(query: Float32Array, rows: number, want: number): Int32Array {
    this.projection.encode(query, this.query);
    const found = new Gathered(this.projection.bits, want);
    const slots = new Int32Array(BLOCK);
    const dists = new Int32Array(BLOCK);
    const w = this.stride / 4;
    const words = new Uint32Array(this.data.buffer, this.data.byteOffset, this.data.length / 4);
    for (let from = 0; from < rows; from += BLOCK) {
      let n = 0;
      for (let i = from; i < Math.min(rows, from + BLOCK); i++) {
        const d = hamming(words, i * w, this.queryWords, 0, w);
        if (d <= found.limit) {
          slots[n] = i;
          dists[n++] = d;
        }
      }
      found.push(slots, dists, n);
    }
    return found.result();
  }
}

/** Codes one after the other; the query's code before them (rows.ts). */
class WasmSignKernel extends WasmRows<Uint8Array> implements SignKernel {
  readonly name = 'wasm-simd';

  constructor(
    module: WebAssembly.Module,
    private readonly projection: SignProjection,
    capacity: number,
  ) {
    super([module], Uint8Array, projection.bytes, projection.bytes, capacity);
  }

  set(slot: number, v: Float32Array): void {
    this.projection.encode(v, this.row(slot));
  }

  candidates(query: Float32Array, rows: number, want: number): Int32Array {
    const buffer = this.memory.buffer;
    this.projection.encode(query, new Uint8Array(buffer, this.queryAt, this.stride));
    const found = new Gathered(this.projection.bits, want);
    const slots = new Int32Array(buffer, 0, BLOCK);
    const dists = new Int32Array(buffer, BLOCK * 4, BLOCK);
    const scan = this.exports.hamming as HammingFn;
    for (let from = 0; from < rows; from += BLOCK) {
      const n = Math.min(BLOCK, rows - from);
      const count = scan(this.queryAt, this.rowAt(from), n, found.limit, 0, BLOCK * 4, from);
      found.push(slots, dists, count);
    }
    return found.result();
  }
}
