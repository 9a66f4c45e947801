// Exact in-memory nearest-neighbour index: one contiguous Float32Array of L2-normalised embeddings with
// parallel ids and subject ids. Grows by doubling, deletes by swap-remove, ranks by dot product
// (for unit vectors the same order as L2 distance: d² = 2 − 2·dot).

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

/** Keeps the `k` best hits seen (a min-heap on score). */
class TopK {
  readonly heap: { slot: number; score: number }[] = [];
  constructor(private readonly k: number) {}
  push(slot: number, score: number): void {
    const h = this.heap;
    if (h.length < this.k) {
      h.push({ slot, score });
      for (let i = h.length - 1; i > 0;) {
        const p = (i - 1) >> 1;
        if (h[p].score <= h[i].score) break;
        [h[p], h[i]] = [h[i], h[p]];
        i = p;
      }
    } else if (this.k > 0 && score > h[0].score) {
      h[0] = { slot, score };
      for (let i = 0; ;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && h[l].score < h[m].score) m = l;
        if (r < h.length && h[r].score < h[m].score) m = r;
        if (m === i) break;
        [h[m], h[i]] = [h[i], h[m]];
        i = m;
      }
    }
  }
  sorted(): { slot: number; score: number }[] {
    return [...this.heap].sort((a, b) => b.score - a.score);
  }
}

export class VectorIndex {
  private data: Float32Array;
  private ids: string[] = [];
  private subjects: string[] = [];
  private slots = new Map<string, number>();

  constructor(
    readonly dim: number,
    private readonly minCapacity = 64,
  ) {
    this.data = new Float32Array(dim * minCapacity);
  }

  get size(): number {
    return this.ids.length;
  }

  get capacity(): number {
    return this.data.length / this.dim;
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
    this.data.set(normalize(vector), slot * this.dim);
  }

  /** Removes the example `id` by moving the last entry into its slot. */
  remove(id: string): boolean {
    const slot = this.slots.get(id);
    if (slot === undefined) return false;
    const last = this.ids.length - 1;
    if (slot !== last) {
      this.data.copyWithin(slot * this.dim, last * this.dim, (last + 1) * this.dim);
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
    this.data = new Float32Array(this.dim * this.minCapacity);
  }

  /** A copy of the stored (normalised) vector of `id`. */
  vector(id: string): Float32Array | undefined {
    const slot = this.slots.get(id);
    return slot === undefined ? undefined : this.data.slice(slot * this.dim, (slot + 1) * this.dim);
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
    const scores = this.scores(query);
    const top = new TopK(k);
    for (let i = 0; i < scores.length; i++) top.push(i, scores[i]);
    return top
      .sorted()
      .map(({ slot, score }) => ({ id: this.ids[slot], subjectId: this.subjects[slot], score }));
  }

  /**
   * The `k` nearest distinct subjects, each with its best example, best first. Exact: the best `m` examples are
   * taken in score order and deduplicated; a subject absent from them cannot beat the ones found, so `m` only
   * grows (×4) when they hold fewer than `k` subjects.
   */
  searchSubjects(query: ArrayLike<number>, k: number): Hit[] {
    const scores = this.scores(query);
    if (k <= 0) return [];
    for (let m = Math.max(4 * k, 16); ; m *= 4) {
      const top = new TopK(Math.min(m, scores.length));
      for (let i = 0; i < scores.length; i++) top.push(i, scores[i]);
      const seen = new Set<string>();
      const hits: Hit[] = [];
      for (const { slot, score } of top.sorted()) {
        const subjectId = this.subjects[slot];
        if (seen.has(subjectId)) continue;
        seen.add(subjectId);
        hits.push({ id: this.ids[slot], subjectId, score });
        if (hits.length === k) return hits;
      }
      if (m >= scores.length) return hits;
    }
  }

  /** Dot product of the normalised query with every stored vector, in slot order. */
  private scores(query: ArrayLike<number>): Float32Array {
    if (query.length !== this.dim) throw new RangeError(`expected ${this.dim} values, got ${query.length}`);
    const q = normalize(query);
    const d = this.dim;
    const data = this.data;
    const out = new Float32Array(this.size);
    const d4 = d - (d % 4);
    for (let i = 0, off = 0; i < out.length; i++, off += d) {
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
      out[i] = s0 + s1 + s2 + s3;
    }
    return out;
  }

  private resize(capacity: number): void {
    const next = new Float32Array(capacity * this.dim);
    next.set(this.data.subarray(0, Math.min(this.data.length, next.length)));
    this.data = next;
  }
}
