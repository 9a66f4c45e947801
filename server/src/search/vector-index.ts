// Exact in-memory nearest-neighbour index: L2-normalised embeddings in one contiguous block (the wasm linear
// memory of the SIMD kernel, or a Float32Array) with parallel ids and subject ids. Grows by doubling, deletes
// by swap-remove, ranks by dot product (for unit vectors the same order as L2 distance: d² = 2 − 2·dot).
import { createKernel, type Kernel, type KernelName } from './kernels.js';
import { TopK } from './top-k.js';

export interface Hit {
  id: string;
  subjectId: string;
  /** Dot product of the unit vectors (cosine similarity). */
  score: number;
}

/** L2 distance between unit vectors whose dot product is `score`. */
export const distanceOf = (score: number) => Math.sqrt(Math.max(0, 2 - 2 * score));

/** A unit-length copy of `v` (a zero vector stays zero). */
export function normalize(v: ArrayLike<number>): Float32Array {
  const out = Float32Array.from(v);
  let sum = 0;
  for (let i = 0; i < out.length; i++) sum += out[i] * out[i];
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let i = 0; i < out.length; i++) out[i] /= norm;
  return out;
}

export interface VectorIndexOptions {
  /** Rows allocated up front and kept when shrinking (default 64). */
  minCapacity?: number;
  /** Scoring kernel (default auto: WebAssembly SIMD where available, else JS). */
  kernel?: KernelName | 'auto';
}

export class VectorIndex {
  private kernel: Kernel;
  private ids: string[] = [];
  private subjects: string[] = [];
  private slots = new Map<string, number>();

  private readonly minCapacity: number;
  private readonly kernelChoice: KernelName | 'auto';
  private cap: number;

  constructor(
    readonly dim: number,
    options: VectorIndexOptions | number = {},
  ) {
    const o = typeof options === 'number' ? { minCapacity: options } : options;
    this.minCapacity = o.minCapacity ?? 64;
    this.kernelChoice = o.kernel ?? 'auto';
    this.cap = this.minCapacity;
    this.kernel = createKernel(dim, this.cap, this.kernelChoice);
  }

  /** The scoring kernel in use. */
  get kernelName(): KernelName {
    return this.kernel.name;
  }

  get size(): number {
    return this.ids.length;
  }

  get capacity(): number {
    return this.cap;
  }

  has(id: string): boolean {
    return this.slots.has(id);
  }

  /** Adds (or replaces) the example `id`; the vector is normalised on the way in. */
  add(id: string, subjectId: string, vector: ArrayLike<number>): void {
    if (vector.length !== this.dim) throw new RangeError(`expected ${this.dim} values, got ${vector.length}`);
    let slot = this.slots.get(id);
    if (slot === undefined) {
      slot = this.ids.length;
      if (slot === this.capacity) this.resize(this.capacity * 2);
      this.ids.push(id);
      this.subjects.push(subjectId);
      this.slots.set(id, slot);
    } else {
      this.subjects[slot] = subjectId;
    }
    this.kernel.data.set(normalize(vector), slot * this.kernel.stride);
  }

  /** Removes the example `id` by moving the last entry into its slot. */
  remove(id: string): boolean {
    const slot = this.slots.get(id);
    if (slot === undefined) return false;
    const last = this.ids.length - 1;
    if (slot !== last) {
      const stride = this.kernel.stride;
      this.kernel.data.copyWithin(slot * stride, last * stride, (last + 1) * stride);
      this.ids[slot] = this.ids[last];
      this.subjects[slot] = this.subjects[last];
      this.slots.set(this.ids[slot], slot);
    }
    this.ids.pop();
    this.subjects.pop();
    this.slots.delete(id);
    if (this.capacity > this.minCapacity && this.size <= this.capacity / 4)
      this.resize(Math.max(this.minCapacity, this.capacity / 2));
    return true;
  }

  clear(): void {
    this.ids = [];
    this.subjects = [];
    this.slots.clear();
    this.cap = this.minCapacity;
    this.kernel = createKernel(this.dim, this.cap, this.kernelChoice);
  }

  /** A copy of the stored (normalised) vector of `id`. */
  vector(id: string): Float32Array | undefined {
    const slot = this.slots.get(id);
    if (slot === undefined) return undefined;
    const at = slot * this.kernel.stride;
    return this.kernel.data.slice(at, at + this.dim);
  }

  subjectOf(id: string): string | undefined {
    const slot = this.slots.get(id);
    return slot === undefined ? undefined : this.subjects[slot];
  }

  /** Moves every example of subject `from` to subject `to` (a subject merge). */
  reassignSubject(from: string, to: string): number {
    let n = 0;
    for (let i = 0; i < this.subjects.length; i++) {
      if (this.subjects[i] === from) {
        this.subjects[i] = to;
        n++;
      }
    }
    return n;
  }

  /** Removes every example of the subject; returns their ids. */
  removeSubject(subjectId: string): string[] {
    const gone = this.ids.filter((_, i) => this.subjects[i] === subjectId);
    for (const id of gone) this.remove(id);
    return gone;
  }

  /** The `k` examples nearest to `query`, best first. */
  search(query: ArrayLike<number>, k: number): Hit[] {
    return this.top(this.query(query), k).map(({ slot, score }) => ({
      id: this.ids[slot],
      subjectId: this.subjects[slot],
      score,
    }));
  }

  /**
   * The `k` nearest distinct subjects, each with its best example, best first. Exact: the best `m` examples are
   * taken in score order and deduplicated; a subject absent from them cannot beat the ones found, so `m` only
   * grows (×4, another scan) when they hold fewer than `k` subjects.
   */
  searchSubjects(query: ArrayLike<number>, k: number): Hit[] {
    const q = this.query(query);
    if (k <= 0) return [];
    for (let m = Math.max(4 * k, 16); ; m *= 4) {
      const seen = new Set<string>();
      const hits: Hit[] = [];
      for (const { slot, score } of this.top(q, Math.min(m, this.size))) {
        const subjectId = this.subjects[slot];
        if (seen.has(subjectId)) continue;
        seen.add(subjectId);
        hits.push({ id: this.ids[slot], subjectId, score });
        if (hits.length === k) return hits;
      }
      if (m >= this.size) return hits;
    }
  }

  private query(query: ArrayLike<number>): Float32Array {
    if (query.length !== this.dim) throw new RangeError(`expected ${this.dim} values, got ${query.length}`);
    return normalize(query);
  }

  /** The `k` best slots for the unit query `q`, best first. */
  private top(q: Float32Array, k: number) {
    const top = new TopK(k);
    this.kernel.scan(q, this.size, top);
    return top.sorted();
  }

  private resize(capacity: number): void {
    this.kernel.resize(capacity);
    this.cap = capacity;
  }
}
