// The quantised (int8) and staged (sign codes, then int8) indexes against the exact one, which stays the reference,
// on clustered face-like data: recall@1 = 1 on held-out photos. One data set and one exact index for both (16,000
// rows of 512 values), built once here, and the exact answers to the photos both ask about computed once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VectorIndex, type Hit } from '../../server/src/search/vector-index.js';
import { faceReference } from './index-pairs.js';

let data: ReturnType<typeof faceReference> | undefined;
beforeAll(() => {
  data = faceReference(512);
});
/** The exact top 10 of held photo `i` (a full scan of 16,000 rows), remembered: both tests ask for it. */
const exactTen = new Map<number, Hit[]>();
const topTen = (i: number) => {
  let hits = exactTen.get(i);
  if (!hits) exactTen.set(i, (hits = data!.exact.search(data!.held[i].v, 10)));
  return hits;
};
// the worker runs other files after this one: the 16,000 rows need not outlive this file
afterAll(() => {
  data = undefined;
  exactTen.clear();
});

describe('quantised VectorIndex', () => {
  it('finds the exact nearest example of every held-out photo (recall@1 = 1) on face-like data', () => {
    const { exact, held, fill } = data!;
    const int8 = fill(new VectorIndex(512, { quantiseFrom: 1000, candidates: 0 }));
    expect(int8.representation).toBe('int8');
    expect(exact.representation).toBe('exact');
    let found = 0;
    held.slice(0, 400).forEach(({ person, v }, i) => {
      const want = topTen(i);
      const got = int8.search(v, 10);
      expect(got.map((h) => h.id)).toEqual(want.map((h) => h.id));
      got.forEach((h, j) => expect(h.score).toBeCloseTo(want[j].score, 5));
      expect(int8.searchSubjects(v, 3).map((h) => h.id)).toEqual(exact.searchSubjects(v, 3).map((h) => h.id));
      if (got[0].subjectId === `p${person}`) found++;
    });
    // the data is what it claims: a photo's nearest example is nearly always its own person
    expect(found / 400).toBeGreaterThan(0.95);
  });
});

describe('staged VectorIndex', () => {
  it('finds the exact nearest example of every held-out photo (recall@1 = 1) on face-like data', () => {
    const { exact, held, fill } = data!;
    const staged = fill(new VectorIndex(512, { quantiseFrom: 1000, candidates: 2000 }));
    expect(staged.staged).toBe(true);
    expect(exact.staged).toBe(false);
    let found = 0;
    let shared = 0;
    held.slice(0, 300).forEach(({ person, v }, i) => {
      // the exact top 10 gives the exact top 1 too: its first
      const ten = topTen(i);
      const want = ten[0];
      const [got] = staged.search(v, 1);
      expect(got.id).toBe(want.id);
      expect(got.score).toBeCloseTo(want.score, 5);
      expect(staged.searchSubjects(v, 1)[0].id).toBe(exact.searchSubjects(v, 1)[0].id);
      // deeper ranks are approximate: strangers at similar scores may miss the candidates
      const ids = new Set(ten.map((h) => h.id));
      shared += staged.search(v, 10).filter((h) => ids.has(h.id)).length;
      if (got.subjectId === `p${person}`) found++;
    });
    expect(shared / 3000).toBeGreaterThan(0.9);
    expect(found / 300).toBeGreaterThan(0.95);
  });
});
