// In-memory nearest-neighbour index: L2-normalised embeddings with parallel ids and subject ids. Grows by small
// steps (GROWTH), deletes by swap-remove, ranks by dot product (for unit vectors the same order as L2 distance:
// d² = 2 − 2·dot). Two representations, chosen by size:
// - exact (small collections, and the reference): the float rows in one contiguous block (the wasm linear memory
//   of the SIMD kernel, or a Float32Array), every row scored exactly;
// - quantised (from `quantiseFrom` rows): int8 rows in memory (a quarter of the floats), scanned for the best
//   candidates, which are re-ranked with their exact float rows read back from a temporary file (float-file.ts).
//   It goes back to exact below half that size, so that a collection at the threshold does not flip to and fro.
//   From `4 · candidates` rows a first stage does less work per query: each row also has a sign code (sign-codes.ts,
//   32–64 bytes), the `candidates` rows whose codes are nearest the query's by Hamming distance are the only ones
//   the int8 rows score, and their best are re-ranked as before. Codes are made as rows are added (no training).
import { FloatFile } from './float-file.js';
import { IdSlots, Interned } from './keys.js';
import { createInt8Kernel, type Int8Kernel } from './int8-kernels.js';
import { createKernel, type Kernel, type KernelName } from './kernels.js';
import { createSignKernel, type SignKernel } from './sign-kernels.js';
import { TopK, type Scored } from './top-k.js';

/** Collection size from which VectorIndex quantises, unless told otherwise (SEARCH_QUANTISE_FROM). */
export const DEFAULT_QUANTISE_FROM = 50_000;

/** Rows the sign codes pass to the int8 scan, unless told otherwise (SEARCH_CANDIDATES). */
export const DEFAULT_CANDIDATES = 4096;

/**
 * The capacity grows by this fraction of itself (at least `minCapacity` rows): the WebAssembly memories grow in
 * place, so small steps leave little unused room (a 16th at most, not half as doubling would). Not smaller: V8
 * counts those memories as external, and each step tends to cost a garbage collection. The plain-JS stores double
 * their own buffers (rows.ts).
 */
const GROWTH = 16;

/** Candidates re-ranked exactly beyond the `k` asked for (at least 2k in all). */
const RERANK_EXTRA = 32;

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
  /** Rows from which the index is quantised (default DEFAULT_QUANTISE_FROM; 0 = always exact). */
  quantiseFrom?: number;
  /** Folder of the quantised index's file of exact vectors (default the system's temporary folder). */
  spillDir?: string;
  /**
   * Rows the quantised index's first stage (sign codes) passes to its int8 scan (default DEFAULT_CANDIDATES;
   * 0 = no first stage, the int8 scan reads every row). Used from 4× as many rows.
   */
  candidates?: number;
  /** Bits per sign code (a multiple of 128; default sign-codes.ts's codeBitsFor(dim)). */
  codeBits?: number;
}

/** The quantised representation: int8 rows in memory, exact rows in a file, sign codes, slot for slot. */
interface Quantised {
  rows: Int8Kernel;
  floats: FloatFile;
  /** The first stage's codes (absent when `candidates` is 0). */
  codes: SignKernel | undefined;
}

export class VectorIndex {
  /** The float rows while exact; undefined while quantised. */
  private kernel: Kernel | undefined;
  private quantised: Quantised | undefined;
  private readonly ids: string[] = [];
  /** Each slot's subject, as its number in `names`. */
  private subjects: Int32Array;
  private readonly names = new Interned();
  private readonly slots = new IdSlots(this.ids);

  private readonly minCapacity: number;
  private readonly kernelChoice: KernelName | 'auto';
  private readonly quantiseFrom: number;
  private readonly spillDir: string | undefined;
  private readonly candidates: number;
  private readonly codeBits: number | undefined;
  private cap: number;

  constructor(
    readonly dim: number,
    options: VectorIndexOptions | number = {},
  ) {
    const o = typeof options === 'number' ? { minCapacity: options } : options;
    this.minCapacity = o.minCapacity ?? 64;
    this.kernelChoice = o.kernel ?? 'auto';
    this.quantiseFrom = o.quantiseFrom ?? DEFAULT_QUANTISE_FROM;
    this.spillDir = o.spillDir;
    this.candidates = o.candidates ?? DEFAULT_CANDIDATES;
    this.codeBits = o.codeBits;
    this.cap = this.minCapacity;
    this.kernel = createKernel(dim, this.cap, this.kernelChoice);
    this.subjects = new Int32Array(this.cap);
  }

  /** The scoring kernel in use. */
  get kernelName(): KernelName {
    return this.quantised?.rows.name ?? this.kernel!.name;
  }

  /** How the rows are held now: exact floats, or int8 with the floats in a file. */
  get representation(): 'exact' | 'int8' {
    return this.quantised ? 'int8' : 'exact';
  }

  /** Whether a search now starts with the sign codes' first stage (quantised, with `4 · candidates` rows or more). */
  get staged(): boolean {
    return !!this.quantised?.codes && this.size >= 4 * this.candidates;
  }

  get size(): number {
    return this.ids.length;
  }

  get capacity(): number {
    return this.cap;
  }

  /** The ids of the examples held, in slot order (a copy). */
  exampleIds(): string[] {
    return [...this.ids];
  }

  has(id: string): boolean {
    return this.slots.get(id) !== undefined;
  }

  /** Adds (or replaces) the example `id`; the vector is normalised on the way in. */
  add(id: string, subjectId: string, vector: ArrayLike<number>): void {
    if (vector.length !== this.dim) throw new RangeError(`expected ${this.dim} values, got ${vector.length}`);
    let slot = this.slots.get(id);
    if (slot === undefined) {
      slot = this.ids.length;
      if (slot === this.capacity)
        this.resize(this.capacity + Math.max(this.minCapacity, Math.ceil(this.capacity / GROWTH)));
      this.ids.push(id);
      this.subjects[slot] = this.names.acquire(subjectId);
      this.slots.add(id, slot);
    } else {
      this.assign(slot, subjectId);
    }
    const unit = normalize(vector);
    if (this.quantised) {
      this.quantised.rows.set(slot, unit);
      this.quantised.codes?.set(slot, unit);
      this.quantised.floats.write(slot, unit);
    } else {
      this.kernel!.set(slot, unit);
      if (this.quantiseFrom > 0 && this.size >= this.quantiseFrom) this.quantise();
    }
  }

  /** Removes the example `id` by moving the last entry into its slot. */
  remove(id: string): boolean {
    const slot = this.slots.get(id);
    if (slot === undefined) return false;
    const last = this.ids.length - 1;
    this.names.release(this.subjects[slot]);
    this.slots.delete(id);
    if (slot !== last) {
      if (this.quantised) {
        this.quantised.rows.move(last, slot);
        this.quantised.codes?.move(last, slot);
        this.quantised.floats.move(last, slot);
      } else {
        this.kernel!.move(last, slot);
      }
      this.slots.move(this.ids[last], last, slot);
      this.ids[slot] = this.ids[last];
      this.subjects[slot] = this.subjects[last];
    }
    this.ids.pop();
    if (this.capacity > this.minCapacity && this.size <= this.capacity / 4)
      this.resize(Math.max(this.minCapacity, Math.ceil(this.capacity / 2)));
    if (this.quantised && this.size < this.quantiseFrom / 2) this.unquantise();
    return true;
  }

  /** Empties the index (and closes the file of a quantised one). */
  clear(): void {
    this.ids.length = 0;
    this.names.clear();
    this.slots.clear();
    this.cap = this.minCapacity;
    this.subjects = new Int32Array(this.cap);
    this.quantised?.floats.close();
    this.quantised = undefined;
    this.kernel = createKernel(this.dim, this.cap, this.kernelChoice);
  }

  /** A copy of the stored (normalised) vector of `id`. */
  vector(id: string): Float32Array | undefined {
    const slot = this.slots.get(id);
    if (slot === undefined) return undefined;
    if (this.quantised) return this.quantised.floats.read(slot, new Float32Array(this.dim));
    const at = slot * this.kernel!.stride;
    return this.kernel!.data.slice(at, at + this.dim);
  }

  subjectOf(id: string): string | undefined {
    const slot = this.slots.get(id);
    return slot === undefined ? undefined : this.names.name(this.subjects[slot]);
  }

  /** Moves every example of subject `from` to subject `to` (a subject merge). */
  reassignSubject(from: string, to: string): number {
    const slots = this.slotsOf(from);
    for (const slot of slots) this.assign(slot, to);
    return slots.length;
  }

  /** Gives the example at `slot` the subject `subjectId` instead of its own. */
  private assign(slot: number, subjectId: string): void {
    const before = this.subjects[slot];
    this.subjects[slot] = this.names.acquire(subjectId);
    this.names.release(before);
  }

  /** Removes every example of the subject; returns their ids. */
  removeSubject(subjectId: string): string[] {
    const gone = this.slotsOf(subjectId).map((slot) => this.ids[slot]);
    for (const id of gone) this.remove(id);
    return gone;
  }

  /** The slots of the subject's examples. */
  private slotsOf(subjectId: string): number[] {
    const n = this.names.numberOf(subjectId);
    const slots: number[] = [];
    if (n !== undefined) for (let i = 0; i < this.size; i++) if (this.subjects[i] === n) slots.push(i);
    return slots;
  }

  /** The `k` examples nearest to `query`, best first. */
  search(query: ArrayLike<number>, k: number): Hit[] {
    return this.top(this.query(query), k).map(({ slot, score }) => ({
      id: this.ids[slot],
      subjectId: this.names.name(this.subjects[slot]),
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
      const seen = new Set<number>();
      const hits: Hit[] = [];
      for (const { slot, score } of this.top(q, Math.min(m, this.size))) {
        const subject = this.subjects[slot];
        if (seen.has(subject)) continue;
        seen.add(subject);
        hits.push({ id: this.ids[slot], subjectId: this.names.name(subject), score });
        if (hits.length === k) return hits;
      }
      if (m >= this.size) return hits;
    }
  }

  private query(query: ArrayLike<number>): Float32Array {
    if (query.length !== this.dim) throw new RangeError(`expected ${this.dim} values, got ${query.length}`);
    return normalize(query);
  }

  /** The `k` best slots for the unit query `q`, best first, with exact scores. */
  private top(q: Float32Array, k: number): Scored[] {
    const top = new TopK(k);
    if (!this.quantised) {
      this.kernel!.scan(q, this.size, top);
      return top.sorted();
    }
    const want = Math.max(2 * k, k + RERANK_EXTRA);
    const candidates = new TopK(want);
    const { rows, codes, floats } = this.quantised;
    if (codes && this.size >= 4 * this.candidates && 4 * want <= this.candidates && q.some((x) => x !== 0))
      rows.scanSlots(q, codes.candidates(q, this.size, this.candidates), candidates);
    else rows.scan(q, this.size, candidates);
    const v = new Float32Array(this.dim);
    for (const { slot } of candidates.heap) top.push(slot, dot(q, floats.read(slot, v)));
    return top.sorted();
  }

  private resize(capacity: number): void {
    const subjects = new Int32Array(capacity);
    subjects.set(this.subjects.subarray(0, Math.min(capacity, this.size)));
    this.subjects = subjects;
    if (this.quantised) {
      this.quantised.rows.resize(capacity);
      this.quantised.codes?.resize(capacity);
      if (capacity < this.cap) this.quantised.floats.truncate(capacity);
    } else {
      this.kernel!.resize(capacity);
    }
    this.cap = capacity;
  }

  /** Exact → quantised: every float row to the file, its int8 copy and code to memory; the float block is dropped. */
  private quantise(): void {
    const { data, stride } = this.kernel!;
    const rows = createInt8Kernel(this.dim, this.cap, this.kernelChoice);
    const codes =
      this.candidates > 0
        ? createSignKernel(this.dim, this.cap, this.kernelChoice, this.codeBits)
        : undefined;
    const floats = new FloatFile(this.dim, this.spillDir);
    for (let slot = 0; slot < this.size; slot++) {
      const v = data.subarray(slot * stride, slot * stride + this.dim);
      rows.set(slot, v);
      codes?.set(slot, v);
      floats.write(slot, v);
    }
    this.quantised = { rows, floats, codes };
    this.kernel = undefined;
  }

  /** Quantised → exact: the float rows read back from the file, which is closed. */
  private unquantise(): void {
    const kernel = createKernel(this.dim, this.cap, this.kernelChoice);
    const { floats } = this.quantised!;
    const v = new Float32Array(this.dim);
    for (let slot = 0; slot < this.size; slot++) kernel.set(slot, floats.read(slot, v));
    floats.close();
    this.quantised = undefined;
    this.kernel = kernel;
  }
}

/** The dot product of two dim-long vectors, rounded to float32 like the kernels' scores. */
function dot(a: Float32Array, b: Float32Array): number {
  let s0 = 0;
  let s1 = 0;
  let i = 0;
  for (; i + 1 < a.length; i += 2) {
    s0 += a[i] * b[i];
    s1 += a[i + 1] * b[i + 1];
  }
  if (i < a.length) s0 += a[i] * b[i];
  return Math.fround(s0 + s1);
}
