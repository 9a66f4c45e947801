// The exact vector index against brute force on random unit vectors (maths, not faces).
import { describe, expect, it } from 'vitest';
import { distanceOf, VectorIndex } from '../../server/src/search/vector-index.js';
import { dot, randomUnit, rng } from '../search/random.js';

describe('VectorIndex', () => {
  const dim = 32;

  it('finds exactly the brute-force top-k, by dot product and by L2 distance', () => {
    const next = rng(1);
    const index = new VectorIndex(dim, 4);
    const all = new Map<string, Float32Array>();
    for (let i = 0; i < 1000; i++) {
      const v = randomUnit(next, dim);
      all.set(`e${i}`, v);
      index.add(`e${i}`, `s${i % 37}`, v);
    }
    expect(index.size).toBe(1000);
    expect(index.capacity).toBeGreaterThanOrEqual(1000);
    for (let t = 0; t < 20; t++) {
      const q = randomUnit(next, dim);
      const brute = [...all].map(([id, v]) => ({ id, score: dot(q, v) })).sort((a, b) => b.score - a.score);
      const hits = index.search(q, 10);
      expect(hits.map((h) => h.id)).toEqual(brute.slice(0, 10).map((b) => b.id));
      hits.forEach((h, i) => expect(h.score).toBeCloseTo(brute[i].score, 5));
      const byDistance = [...all]
        .map(([id, v]) => ({ id, d: Math.hypot(...v.map((x, i) => x - q[i])) }))
        .sort((a, b) => a.d - b.d);
      hits.forEach((h, i) => expect(distanceOf(h.score)).toBeCloseTo(byDistance[i].d, 4));
    }
  });

  it('returns each subject once, with its best example, best subjects first', () => {
    const next = rng(2);
    const index = new VectorIndex(dim);
    const all: { id: string; subject: string; v: Float32Array }[] = [];
    for (let i = 0; i < 500; i++) {
      const v = randomUnit(next, dim);
      const subject = `s${i % 23}`;
      all.push({ id: `e${i}`, subject, v });
      index.add(`e${i}`, subject, v);
    }
    const q = randomUnit(next, dim);
    const best = new Map<string, { id: string; score: number }>();
    for (const e of all) {
      const score = dot(q, e.v);
      if ((best.get(e.subject)?.score ?? -Infinity) < score) best.set(e.subject, { id: e.id, score });
    }
    const expected = [...best].sort((a, b) => b[1].score - a[1].score).slice(0, 5);
    const hits = index.searchSubjects(q, 5);
    expect(hits.map((h) => [h.subjectId, h.id])).toEqual(expected.map(([s, b]) => [s, b.id]));
    expect(index.searchSubjects(q, 100)).toHaveLength(23);
  });

  it('stays exact through swap-removes, replacements, subject moves and shrinking', () => {
    const next = rng(3);
    const index = new VectorIndex(dim, 8);
    const all = new Map<string, { subject: string; v: Float32Array }>();
    for (let i = 0; i < 300; i++) {
      const v = randomUnit(next, dim);
      all.set(`e${i}`, { subject: `s${i % 10}`, v });
      index.add(`e${i}`, `s${i % 10}`, v);
    }
    for (let i = 0; i < 300; i += 3) {
      expect(index.remove(`e${i}`)).toBe(true);
      all.delete(`e${i}`);
    }
    expect(index.remove('e0')).toBe(false);
    const replaced = randomUnit(next, dim);
    index.add('e1', 's1', replaced);
    all.set('e1', { subject: 's1', v: replaced });
    expect(index.reassignSubject('s2', 's4')).toBeGreaterThan(0);
    for (const e of all.values()) if (e.subject === 's2') e.subject = 's4';
    const gone = index.removeSubject('s5');
    for (const id of gone) all.delete(id);
    expect(gone.length).toBeGreaterThan(0);

    expect(index.size).toBe(all.size);
    for (const [id, e] of all) {
      expect(index.subjectOf(id)).toBe(e.subject);
      expect(dot(index.vector(id)!, e.v)).toBeCloseTo(1, 5);
    }
    const q = randomUnit(next, dim);
    const brute = [...all].map(([id, e]) => ({ id, score: dot(q, e.v) })).sort((a, b) => b.score - a.score);
    expect(index.search(q, all.size).map((h) => h.id)).toEqual(brute.map((b) => b.id));

    for (const id of [...all.keys()]) index.remove(id);
    expect(index.size).toBe(0);
    expect(index.capacity).toBe(8);
    expect(index.search(q, 3)).toEqual([]);
  });

  it('normalises what it stores and what it is asked', () => {
    const index = new VectorIndex(3);
    index.add('a', 's', [3, 0, 4]);
    expect(Array.from(index.vector('a')!)).toEqual([0.6000000238418579, 0, 0.800000011920929]);
    expect(index.search([0, 0, 10], 1)[0].score).toBeCloseTo(0.8, 6);
    expect(() => index.add('b', 's', [1, 2])).toThrow(RangeError);
  });
});
