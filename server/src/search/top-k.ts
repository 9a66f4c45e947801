// The `k` best (slot, score) pairs seen so far: a min-heap on score, whose root is the floor a new pair must beat.

export interface Scored {
  slot: number;
  score: number;
}

export class TopK {
  readonly heap: Scored[] = [];
  constructor(private readonly k: number) {}

  /** What a score must exceed to enter: −∞ until `k` pairs are held, then the worst of them (+∞ when k ≤ 0). */
  get floor(): number {
    if (this.k <= 0) return Infinity;
    return this.heap.length < this.k ? -Infinity : this.heap[0].score;
  }

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

  /** Best first; equal scores in slot order, so that both kernels give the same list. */
  sorted(): Scored[] {
    return [...this.heap].sort((a, b) => b.score - a.score || a.slot - b.slot);
  }
}
