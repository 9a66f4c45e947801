// The quantised index's first stage: sign codes (randomised Hadamard rotation, one bit per output) against the
// maths they rest on, the Hamming kernels against each other and against brute force, the gathering int8 kernel
// against the walking one, and the staged index against the exact one, which stays the reference (recall@1 on
// clustered face-like data: recall.test.ts).
import { describe, expect, it } from 'vitest';
import { createInt8Kernel } from '../../server/src/search/int8-kernels.js';
import {
  codeBitsFor,
  cutoff,
  hadamard,
  hamming,
  popcount32,
  SignProjection,
} from '../../server/src/search/sign-codes.js';
import { createSignKernel } from '../../server/src/search/sign-kernels.js';
import { TopK } from '../../server/src/search/top-k.js';
import { normalize, VectorIndex } from '../../server/src/search/vector-index.js';
import { hammingWasm } from '../../server/src/search/wasm-hamming.js';
import { SCAN8_AT_WASM } from '../../server/src/search/wasm-scan8.js';
import { inStep } from './index-pairs.js';
import { dot, randomUnit, randomVector, rng } from './random.js';

const bitsOf = (code: Uint8Array) =>
  [...code].flatMap((b) => [0, 1, 2, 3, 4, 5, 6, 7].map((i) => (b >> i) & 1));
const differ = (a: Uint8Array, b: Uint8Array) => {
  let d = 0;
  for (let i = 0; i < a.length; i++) d += popcount32(a[i] ^ b[i]);
  return d;
};

describe('sign codes', () => {
  it('transform with the Walsh–Hadamard matrix (H·H = n·I)', () => {
    const n = 8;
    const H = (i: number, j: number) => (popcount32(i & j) % 2 ? -1 : 1); // Sylvester's construction
    const x = Float64Array.from(randomVector(rng(1), n));
    const y = Float64Array.from(x);
    hadamard(y);
    for (let i = 0; i < n; i++)
      expect(y[i]).toBeCloseTo(
        x.reduce((s, xj, j) => s + H(i, j) * xj, 0),
        12,
      );
    hadamard(y);
    y.forEach((v, i) => expect(v).toBeCloseTo(n * x[i], 12));
  });

  it('rotate orthogonally: dot products scale by the same factor, whatever the dimension', () => {
    for (const dim of [5, 128, 512]) {
      const next = rng(dim);
      const p = new SignProjection(dim, 128 * Math.ceil(dim / 128));
      const size = 2 ** Math.ceil(Math.log2(dim));
      const [a, b] = [randomVector(next, dim), randomVector(next, dim)];
      const [ra, rb] = [p.rotate(a), p.rotate(b)];
      // only the first `size` outputs come from one rotation (three unnormalised rounds: a factor size³)
      const d = (x: Float64Array, y: Float64Array) =>
        x.subarray(0, size).reduce((s, v, i) => s + v * y[i], 0);
      if (p.bits >= size) expect(d(ra, rb) / size ** 3).toBeCloseTo(dot(a, b), 6);
    }
  });

  it('code bits by dimension, and the sign of each output in its bit', () => {
    expect([64, 128, 200, 512, 1024].map(codeBitsFor)).toEqual([256, 256, 384, 384, 384]);
    const p = new SignProjection(128, 256);
    expect(p.bytes).toBe(32);
    const v = randomVector(rng(2), 128);
    const code = p.encode(v, new Uint8Array(32));
    const y = p.rotate(v);
    expect(bitsOf(code)).toEqual([...y].map((x) => (x > 0 ? 1 : 0)));
    expect(p.encode(new Float32Array(128), new Uint8Array(32)).every((b) => b === 0)).toBe(true);
    expect(() => new SignProjection(128, 100)).toThrow(RangeError);
  });

  it('estimate the angle: Hamming distance / bits ≈ θ / π', () => {
    const dim = 512;
    const next = rng(3);
    const p = new SignProjection(dim, 512);
    let err = 0;
    const trials = 200;
    for (let t = 0; t < trials; t++) {
      const a = randomUnit(next, dim);
      const noise = randomUnit(next, dim);
      const mix = (t % 10) / 10; // angles from 0 to ~80°
      const b = normalize(a.map((x, i) => (1 - mix) * x + mix * noise[i]));
      const theta = Math.acos(Math.min(1, dot(a, b))) / Math.PI;
      const estimate = differ(p.encode(a, new Uint8Array(64)), p.encode(b, new Uint8Array(64))) / 512;
      err += Math.abs(estimate - theta);
      expect(Math.abs(estimate - theta)).toBeLessThan(0.08); // > 4 standard deviations (≤ 0.022)
    }
    expect(err / trials).toBeLessThan(0.02);
  });

  it('count bits and pick the cutoff that keeps the number asked for', () => {
    for (const x of [0, 1, 0xffffffff, 0x80000001, 0x12345678])
      expect(popcount32(x)).toBe([...x.toString(2)].filter((c) => c === '1').length);
    const a = new Uint32Array([0xff, 0, 7]);
    expect(hamming(a, 0, a, 1, 1)).toBe(8);
    expect(hamming(a, 0, a, 1, 2)).toBe(11);
    expect(hamming(a, 1, a, 2, 1)).toBe(3);
    const histogram = new Int32Array([0, 2, 0, 5, 1]);
    expect([1, 2, 3, 7, 8, 9].map((want) => cutoff(histogram, want))).toEqual([1, 1, 3, 3, 4, 4]);
  });
});

describe('Hamming kernels', () => {
  it('assemble valid modules', () => {
    for (const bytes of [8, 32, 64, 256]) expect(WebAssembly.validate(hammingWasm(bytes))).toBe(true);
    expect(() => hammingWasm(12)).toThrow(RangeError);
    expect(WebAssembly.validate(SCAN8_AT_WASM)).toBe(true);
  });

  // more rows than two 8,192-row blocks (the limit tightens after each), and fewer than one
  it.each([
    [128, 256, 20_000, 300],
    [512, 384, 20_000, 1000],
    [64, 128, 3000, 5000],
  ])(
    'find the same candidates in WebAssembly and JS as brute force (%i-d, %i bits)',
    (dim, bits, n, want) => {
      const next = rng(dim + bits);
      const wasm = createSignKernel(dim, 16, 'wasm-simd', bits);
      const js = createSignKernel(dim, 16, 'js', bits);
      const p = new SignProjection(dim, bits);
      const codes: Uint8Array[] = [];
      for (let i = 0, capacity = 16; i < n; i++) {
        if (i === capacity) {
          capacity *= 2;
          wasm.resize(capacity);
          js.resize(capacity);
        }
        const v = randomUnit(next, dim);
        wasm.set(i, v);
        js.set(i, v);
        codes.push(p.encode(v, new Uint8Array(p.bytes)));
      }
      for (let t = 0; t < 3; t++) {
        const q = randomUnit(next, dim);
        const code = p.encode(q, new Uint8Array(p.bytes));
        const d = codes.map((c) => differ(c, code));
        const got = [...wasm.candidates(q, n, want)].sort((a, b) => a - b);
        expect([...js.candidates(q, n, want)].sort((a, b) => a - b)).toEqual(got);
        // all rows at the smallest distance that keeps `want` of them, ties included
        const limit = [...d].sort((a, b) => a - b)[Math.min(want, n) - 1];
        expect(got).toEqual(d.flatMap((x, i) => (x <= limit ? [i] : [])));
        expect(got.length).toBeGreaterThanOrEqual(Math.min(want, n));
      }
    },
  );

  it('move codes and shrink like the rows they follow', () => {
    const next = rng(9);
    const wasm = createSignKernel(128, 64, 'wasm-simd');
    const rows = Array.from({ length: 40 }, () => randomUnit(next, 128));
    rows.forEach((v, i) => wasm.set(i, v));
    wasm.move(39, 3);
    wasm.resize(32);
    expect([...wasm.candidates(rows[39], 39, 1)]).toEqual([3]);
    expect([...wasm.candidates(rows[5], 39, 1)]).toEqual([5]);
  });
});

describe('gathering int8 kernel', () => {
  it('scores the rows at the slots given as the walking scan does, in WebAssembly and JS', () => {
    const dim = 130;
    const next = rng(11);
    const n = 20_000;
    const kernels = [createInt8Kernel(dim, n, 'wasm-simd'), createInt8Kernel(dim, n, 'js')];
    for (let i = 0; i < n; i++) {
      const v = randomUnit(next, dim);
      for (const k of kernels) k.set(i, v);
    }
    const slots = Int32Array.from({ length: 9000 }, (_, i) => (i * 7919) % n); // more than one block
    const q = randomUnit(next, dim);
    const every = new TopK(n);
    kernels[0].scan(q, n, every);
    const score = new Map(every.heap.map(({ slot, score }) => [slot, score]));
    const want = [...slots]
      .map((slot) => ({ slot, score: score.get(slot)! }))
      .sort((a, b) => b.score - a.score || a.slot - b.slot)
      .slice(0, 50);
    for (const k of kernels) {
      const top = new TopK(50);
      k.scanSlots(q, slots, top);
      expect(top.sorted()).toEqual(want);
    }
  });
});

describe('staged VectorIndex', () => {
  it('keeps codes, int8 rows and floats in step through adds, replacements and removals', () => {
    const dim = 128;
    const next = rng(13);
    const { reference, index, live, add, remove } = inStep(dim, { quantiseFrom: 300, candidates: 100 });
    const agree = () => {
      expect(index.size).toBe(live.size);
      // each stored row finds itself first: its code, int8 row and float row are the same example
      for (const id of [...live.keys()].filter((_, i) => i % 13 === 0)) {
        const v = live.get(id)!;
        expect(index.search(v, 1)[0].id).toBe(id);
        expect(index.search(v, 5).map((h) => h.id)).toEqual(reference.search(v, 5).map((h) => h.id));
      }
    };
    for (let i = 0; i < 2000; i++) add(`e${i}`, randomUnit(next, dim));
    expect(index.staged).toBe(true);
    agree();
    for (let i = 0; i < 2000; i += 3) add(`e${i}`, randomUnit(next, dim)); // replacements
    for (let i = 1; i < 2000; i += 2) remove(`e${i}`); // swap-removes from the middle, then a shrink
    expect(index.staged).toBe(true);
    agree();
    for (let i = 0; i < 2000; i += 2) if (i % 6 !== 0) remove(`e${i}`);
    expect(index.staged).toBe(false); // fewer than 4 × candidates rows: the int8 scan reads them all
    expect(index.representation).toBe('int8');
    agree();
    for (let i = 0; i < 1000; i++) add(`n${i}`, randomUnit(next, dim));
    expect(index.staged).toBe(true);
    agree();
  });

  it('answers a zero query, k beyond the candidates and many subjects like the exact index', () => {
    const next = rng(17);
    const reference = new VectorIndex(64, { quantiseFrom: 0 });
    const index = new VectorIndex(64, { quantiseFrom: 1, candidates: 64 });
    for (let i = 0; i < 600; i++) {
      const v = randomUnit(next, 64);
      reference.add(`e${i}`, `s${i % 300}`, v);
      index.add(`e${i}`, `s${i % 300}`, v);
    }
    expect(index.staged).toBe(true);
    const ids = (hits: { id: string }[]) => hits.map((h) => h.id);
    expect(index.search(new Float32Array(64), 3)).toEqual(reference.search(new Float32Array(64), 3));
    const q = randomUnit(next, 64);
    expect(ids(index.search(q, 100))).toEqual(ids(reference.search(q, 100))); // 4 · 200 > 64: every int8 row
    expect(ids(index.searchSubjects(q, 40))).toEqual(ids(reference.searchSubjects(q, 40)));
  });
});
