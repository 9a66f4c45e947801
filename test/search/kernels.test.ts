// The WebAssembly SIMD kernel and the JS fallback rank alike: same ids, scores within 1e-5, both equal to brute force.
import { describe, expect, it } from 'vitest';
import { simdAvailable } from '../../server/src/search/kernels.js';
import { normalize, VectorIndex, type Hit } from '../../server/src/search/vector-index.js';
import { SCAN_WASM } from '../../server/src/search/wasm-scan.js';
import { dot, randomVector, rng } from './random.js';

/** The same examples in one index per kernel, plus the brute-force reference. */
function pair(dim: number, count: number, seed: number, subjects = 7) {
  const next = rng(seed);
  const wasm = new VectorIndex(dim, { kernel: 'wasm-simd', minCapacity: 8 });
  const js = new VectorIndex(dim, { kernel: 'js', minCapacity: 8 });
  const all = new Map<string, { subject: string; v: Float32Array }>();
  const add = (id: string, subject: string, v: Float32Array) => {
    wasm.add(id, subject, v);
    js.add(id, subject, v);
    all.set(id, { subject, v: normalize(v) });
  };
  for (let i = 0; i < count; i++) add(`e${i}`, `s${i % subjects}`, randomVector(next, dim));
  const brute = (q: Float32Array) => {
    const unit = normalize(q); // once per query, not once per example
    return [...all]
      .map(([id, e]) => ({ id, subjectId: e.subject, score: dot(unit, e.v) }))
      .sort((a, b) => b.score - a.score);
  };
  return { next, wasm, js, all, add, brute };
}

function expectSame(a: Hit[], b: Hit[]): void {
  expect(a.map((h) => h.id)).toEqual(b.map((h) => h.id));
  a.forEach((h, i) => expect(Math.abs(h.score - b[i].score)).toBeLessThan(1e-5));
}

describe('search kernels', () => {
  it('has WebAssembly SIMD here, and the module bytes validate', () => {
    expect(WebAssembly.validate(SCAN_WASM)).toBe(true);
    expect(simdAvailable()).toBe(true);
    expect(new VectorIndex(4).kernelName).toBe('wasm-simd');
    expect(new VectorIndex(4, { kernel: 'js' }).kernelName).toBe('js');
  });

  it.each([128, 5, 17, 130])('agree with each other and with brute force at dim %i', (dim) => {
    const { next, wasm, js, brute } = pair(dim, 3000, dim);
    for (let t = 0; t < 10; t++) {
      const q = randomVector(next, dim);
      const expected = brute(q);
      for (const k of [1, 10]) {
        const w = wasm.search(q, k);
        expectSame(w, js.search(q, k));
        expectSame(w, expected.slice(0, k));
      }
      const subjects = wasm.searchSubjects(q, 3);
      expectSame(subjects, js.searchSubjects(q, 3));
      expect(subjects.map((h) => h.subjectId)).toEqual(
        [...new Set(expected.map((e) => e.subjectId))].slice(0, 3),
      );
    }
  });

  it('spans several blocks of rows, and ranks equal scores by slot in both', () => {
    const { next, wasm, js, add, brute } = pair(16, 20_000, 11, 500);
    const twin = randomVector(next, 16);
    for (const id of ['t1', 't2', 't3']) add(id, 'twins', twin);
    const q = randomVector(next, 16);
    expectSame(wasm.search(q, 50), js.search(q, 50));
    expectSame(wasm.search(q, 50), brute(q).slice(0, 50));
    expect(wasm.search(twin, 3).map((h) => h.id)).toEqual(['t1', 't2', 't3']);
    expect(js.search(twin, 3).map((h) => h.id)).toEqual(['t1', 't2', 't3']);
    // many examples of one subject ahead of the others: searchSubjects has to widen its scan
    expectSame(wasm.searchSubjects(twin, 5), js.searchSubjects(twin, 5));
  });

  it('handle an empty index, k = 0 and k beyond the size', () => {
    for (const kernel of ['wasm-simd', 'js'] as const) {
      const index = new VectorIndex(8, { kernel });
      expect(index.search(new Float32Array(8).fill(1), 5)).toEqual([]);
      expect(index.searchSubjects(new Float32Array(8).fill(1), 5)).toEqual([]);
    }
    const { next, wasm, js, all, brute } = pair(8, 5, 3);
    const q = randomVector(next, 8);
    expect(wasm.search(q, 0)).toEqual([]);
    expect(js.searchSubjects(q, 0)).toEqual([]);
    expectSame(wasm.search(q, 50), brute(q));
    expectSame(js.search(q, 50), brute(q));
    expect(wasm.search(q, 50)).toHaveLength(all.size);
  });

  it('stay equal through removals, growth and shrinking', () => {
    const { next, wasm, js, all, add, brute } = pair(24, 5000, 5);
    for (let i = 0; i < 5000; i += 2) {
      wasm.remove(`e${i}`);
      js.remove(`e${i}`);
      all.delete(`e${i}`);
    }
    for (let i = 0; i < 4000; i++) {
      if (i % 5 === 0) continue;
      wasm.remove(`e${2 * i + 1}`);
      js.remove(`e${2 * i + 1}`);
      all.delete(`e${2 * i + 1}`);
    }
    expect(wasm.capacity).toBe(js.capacity);
    expect(wasm.capacity).toBeLessThan(2048);
    for (let i = 0; i < 300; i++) add(`n${i}`, `s${i % 3}`, randomVector(next, 24));
    expect(wasm.size).toBe(all.size);
    for (const [id, e] of all) expect(dot(wasm.vector(id)!, e.v)).toBeCloseTo(1, 5);
    for (let t = 0; t < 5; t++) {
      const q = randomVector(next, 24);
      expectSame(wasm.search(q, 20), js.search(q, 20));
      expectSame(wasm.search(q, 20), brute(q).slice(0, 20));
    }
    wasm.clear();
    expect(wasm.search(randomVector(next, 24), 3)).toEqual([]);
  });
});
