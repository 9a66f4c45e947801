// Where VectorIndex keeps its rows and how it scores them: a WebAssembly SIMD kernel over rows in the wasm
// linear memory (the default where WebAssembly SIMD exists), or a plain-JS kernel over a Float32Array.
// Both feed the same TopK only the rows that beat its floor, so they rank identically.
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
  /** Offers `top` every row among the first `rows` that scores above its floor against `query` (unit, dim long). */
  scan(query: Float32Array, rows: number, top: TopK): void;
}

const modules = new Map<Uint8Array<ArrayBuffer>, WebAssembly.Module | null>();

/** The compiled module of `bytes`, or null where this runtime lacks WebAssembly SIMD (checked once per module). */
export function compiled(bytes: Uint8Array<ArrayBuffer>): WebAssembly.Module | null {
  let module = modules.get(bytes);
  if (module === undefined) {
    try {
      module = WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
    } catch {
      module = null;
    }
    modules.set(bytes, module);
  }
  return module;
}

/** Whether the WebAssembly SIMD kernel can run here. */
export const simdAvailable = (): boolean => compiled(SCAN_WASM) !== null;

/** A kernel for `dim`-d rows: `auto` takes WebAssembly SIMD where it exists, JS otherwise. */
export function createKernel(dim: number, capacity: number, choice: KernelName | 'auto' = 'auto'): Kernel {
  const module = choice === 'js' ? null : compiled(SCAN_WASM);
  if (choice === 'wasm-simd' && !module) throw new Error('WebAssembly SIMD is not available in this runtime');
  return module ? new WasmKernel(module, dim, capacity) : new JsKernel(dim, capacity);
}

class JsKernel implements Kernel {
  readonly name = 'js';
  readonly stride: number;
  data: Float32Array;

  constructor(
    private readonly dim: number,
    capacity: number,
  ) {
    this.stride = dim;
    this.data = new Float32Array(dim * capacity);
  }

  resize(capacity: number): void {
    const next = new Float32Array(capacity * this.stride);
    next.set(this.data.subarray(0, Math.min(this.data.length, next.length)));
    this.data = next;
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

export const PAGE = 65536;
/** Rows per call into wasm; the candidate arrays hold a whole block (the first block offers every row). */
export const BLOCK = 8192;

/**
 * Linear memory layout: [candidate slots: BLOCK i32][candidate scores: BLOCK f32][query: stride f32][rows…],
 * every part 64-byte aligned. The memory grows in place; it is replaced (and copied) only to shrink.
 */
class WasmKernel implements Kernel {
  readonly name = 'wasm-simd';
  readonly stride: number;
  data!: Float32Array;
  private memory!: WebAssembly.Memory;
  private scanFn!: ScanFn;
  private readonly queryAt = BLOCK * 8;
  private readonly dataAt: number;

  constructor(
    private readonly module: WebAssembly.Module,
    private readonly dim: number,
    private capacity: number,
  ) {
    this.stride = Math.ceil(dim / 16) * 16;
    this.dataAt = this.queryAt + this.stride * 4;
    this.allocate(capacity);
  }

  private pagesFor(capacity: number): number {
    return Math.ceil((this.dataAt + capacity * this.stride * 4) / PAGE);
  }

  private allocate(capacity: number): void {
    this.memory = new WebAssembly.Memory({ initial: this.pagesFor(capacity) });
    const instance = new WebAssembly.Instance(this.module, { env: { memory: this.memory } });
    this.scanFn = instance.exports.scan as ScanFn;
    this.view(capacity);
  }

  private view(capacity: number): void {
    this.capacity = capacity;
    this.data = new Float32Array(this.memory.buffer, this.dataAt, capacity * this.stride);
  }

  resize(capacity: number): void {
    const pages = this.pagesFor(capacity);
    const current = this.memory.buffer.byteLength / PAGE;
    if (pages > current) {
      this.memory.grow(pages - current);
      this.view(capacity);
    } else if (pages < current / 2) {
      const kept = this.data.slice(0, Math.min(this.capacity, capacity) * this.stride);
      this.allocate(capacity);
      this.data.set(kept);
    } else {
      this.view(capacity);
    }
  }

  scan(query: Float32Array, rows: number, top: TopK): void {
    const buffer = this.memory.buffer;
    new Float32Array(buffer, this.queryAt, this.dim).set(query);
    const slots = new Int32Array(buffer, 0, BLOCK);
    const scores = new Float32Array(buffer, BLOCK * 4, BLOCK);
    const strideBytes = this.stride * 4;
    for (let from = 0; from < rows; from += BLOCK) {
      const floor = top.floor;
      if (floor === Infinity) return;
      const n = Math.min(BLOCK, rows - from);
      const found = this.scanFn(
        this.queryAt,
        this.dataAt + from * strideBytes,
        n,
        strideBytes,
        floor,
        0,
        BLOCK * 4,
        from,
      );
      for (let i = 0; i < found; i++) top.push(slots[i], scores[i]);
    }
  }
}
