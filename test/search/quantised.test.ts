// The quantised index (int8 rows scanned for candidates, exact floats re-ranked) against the exact one, which stays
// the reference: the int8 kernels against each other and against the exact dot product, and both representations
// kept in step through adds, replacements and removals (recall@1 on clustered face-like data: recall.test.ts).
import { describe, expect, it } from 'vitest';
import { createInt8Kernel, quantise } from '../../server/src/search/int8-kernels.js';
import { TopK } from '../../server/src/search/top-k.js';
import { VectorIndex } from '../../server/src/search/vector-index.js';
import { SCAN8_WASM } from '../../server/src/search/wasm-scan8.js';
import { inStep } from './index-pairs.js';
import { dot, randomUnit, rng } from './random.js';

const l1 = (a: Float32Array) => a.reduce((s, x) => s + Math.abs(x), 0);
const maxAbs = (a: Float32Array) => a.reduce((m, x) => Math.max(m, Math.abs(x)), 0);

describe('int8 kernels', () => {
  it('assemble a valid module', () => {
    expect(WebAssembly.validate(SCAN8_WASM)).toBe(true);
    expect(createInt8Kernel(8, 4).name).toBe('wasm-simd');
  });

  it('quantise within half a step and keep the sign', () => {
    const next = rng(1);
    const v = randomUnit(next, 100);
    const q = new Int8Array(100);
    const scale = quantise(v, q);
    expect(scale).toBeCloseTo(maxAbs(v) / 127, 7);
    expect(Math.max(...q.map(Math.abs))).toBe(127);
    v.forEach((x, i) => expect(Math.abs(x - q[i] * scale)).toBeLessThanOrEqual(scale / 2 + 1e-9));
    expect(quantise(new Float32Array(4), new Int8Array(4))).toBe(0);
  });

  it.each([5, 128, 130, 512])(
    'score alike in WebAssembly and JS, within the rounding bound of the exact dot product, at dim %i',
    (dim) => {
      const next = rng(dim);
      const n = dim === 128 ? 20_000 : 2000; // 128: more than one 8,192-row block
      const wasm = createInt8Kernel(dim, 16, 'wasm-simd');
      const js = createInt8Kernel(dim, 16, 'js');
      const rows: Float32Array[] = [];
      for (let i = 0, capacity = 16; i < n; i++) {
        if (i === capacity) {
          capacity *= 2;
          wasm.resize(capacity);
          js.resize(capacity);
        }
        rows.push(randomUnit(next, dim));
        wasm.set(i, rows[i]);
        js.set(i, rows[i]);
      }
      for (let t = 0; t < 5; t++) {
        const q = randomUnit(next, dim);
        const [a, b] = [new TopK(200), new TopK(200)];
        wasm.scan(q, n, a);
        js.scan(q, n, b);
        const sa = a.sorted();
        expect(sa).toEqual(b.sorted());
        for (const { slot, score } of sa) {
          const x = rows[slot];
          // row rounding: half a step of max|x|/127 per value; the int16 query's is ~250 times finer
          const bound = (maxAbs(x) / 127 / 2) * l1(q) + (maxAbs(q) / 32767 / 2) * l1(x) * 1.01 + 1e-6;
          expect(Math.abs(score - dot(q, x))).toBeLessThanOrEqual(bound);
        }
      }
    },
  );
});

describe('quantised VectorIndex', () => {
  it('keeps the int8 rows and the exact floats in step through adds, replacements and removals', () => {
    const dim = 24;
    const next = rng(3);
    const { reference, index, live, add, remove } = inStep(dim, { quantiseFrom: 400 });
    const agree = () => {
      expect(index.size).toBe(live.size);
      for (const [id, v] of live) expect(index.vector(id)).toEqual(v);
      for (let t = 0; t < 5; t++) {
        const q = randomUnit(next, dim);
        const want = reference.search(q, 12);
        const got = index.search(q, 12);
        expect(got.map((h) => h.id)).toEqual(want.map((h) => h.id));
        got.forEach((h, i) => expect(h.score).toBeCloseTo(want[i].score, 5));
      }
      // every stored row finds itself first: its int8 row and its float row are the same example
      for (const id of [...live.keys()].filter((_, i) => i % 37 === 0))
        expect(index.search(live.get(id)!, 1)[0].id).toBe(id);
    };

    for (let i = 0; i < 399; i++) add(`e${i}`, randomUnit(next, dim));
    expect(index.representation).toBe('exact');
    add('e399', randomUnit(next, dim));
    expect(index.representation).toBe('int8');
    for (let i = 400; i < 1500; i++) add(`e${i}`, randomUnit(next, dim));
    agree();
    for (let i = 0; i < 1500; i += 3) add(`e${i}`, randomUnit(next, dim)); // replacements
    for (let i = 1; i < 1500; i += 2) remove(`e${i}`); // swap-removes from the middle, then a shrink
    expect(index.representation).toBe('int8');
    agree();
    for (let i = 0; i < 1500; i += 2) if (i % 10 !== 0) remove(`e${i}`);
    expect(index.size).toBeLessThan(200);
    expect(index.representation).toBe('exact'); // below half the threshold: back to exact
    agree();
    for (let i = 0; i < 500; i++) add(`n${i}`, randomUnit(next, dim));
    expect(index.representation).toBe('int8');
    agree();
    index.clear();
    expect(index.representation).toBe('exact');
    expect(index.search(randomUnit(next, dim), 3)).toEqual([]);
  });

  it('answers a zero query and k beyond the size like the exact index', () => {
    const next = rng(5);
    const reference = new VectorIndex(16, { quantiseFrom: 0 });
    const index = new VectorIndex(16, { quantiseFrom: 1 });
    for (let i = 0; i < 40; i++) {
      const v = randomUnit(next, 16);
      reference.add(`e${i}`, 's', v);
      index.add(`e${i}`, 's', v);
    }
    expect(index.search(new Float32Array(16), 3)).toEqual(reference.search(new Float32Array(16), 3));
    const q = randomUnit(next, 16);
    expect(index.search(q, 100).map((h) => h.id)).toEqual(reference.search(q, 100).map((h) => h.id));
    expect(index.search(q, 0)).toEqual([]);
  });
});
