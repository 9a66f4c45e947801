// The WebAssembly SIMD scan kernel over float rows, assembled here as bytes so that no compiler is needed to
// build or run it. One exported function over an imported memory:
//
//   scan(query, data, rows, strideBytes, floor: f32, outSlots, outScores, firstSlot) -> count
//
// For each of `rows` rows of `strideBytes` bytes from `data` (a multiple of 64: 16 floats, zero-padded), the dot
// product with the row at `query`, four f32x4 accumulators wide; every row scoring above `floor` is appended as
// (firstSlot + row, score) to the i32/f32 arrays at `outSlots`/`outScores`, and the number appended is returned.
import {
  add32,
  addF32,
  addF32x4,
  block,
  brIf,
  eqz32,
  F32,
  get,
  gtF32,
  I32,
  i32,
  laneF32,
  load128,
  loop,
  ltU32,
  moduleOf,
  mulF32x4,
  set,
  shl32,
  store32,
  storeF32,
  V128,
  vec,
  when,
  zero128,
} from './wasm-asm.js';

// Parameters, then locals.
const [QUERY, DATA, ROWS, STRIDE, FLOOR, OUT_SLOTS, OUT_SCORES, FIRST] = [0, 1, 2, 3, 4, 5, 6, 7];
const [ROW, COUNT, END, Q, SCORE, ACC] = [8, 9, 10, 11, 12, 13]; // ACC..ACC+3: the four accumulators
const P = DATA; // the row pointer walks through the data

/** acc[k] += data[p + 16k] * query[q + 16k], for the four accumulators. */
const multiplyAdd = [0, 1, 2, 3].flatMap((k) => [
  ...get(ACC + k),
  ...get(P),
  ...load128(16 * k),
  ...get(Q),
  ...load128(16 * k),
  ...mulF32x4,
  ...addF32x4,
  ...set(ACC + k),
]);

/** Appends (FIRST + ROW, SCORE) at index COUNT of the output arrays. */
export const emit = (
  outSlots: number,
  outScores: number,
  count: number,
  first: number,
  row: number,
  score: number,
) => [
  ...get(outSlots),
  ...get(count),
  ...i32(2),
  ...shl32,
  ...add32,
  ...get(first),
  ...get(row),
  ...add32,
  ...store32,
  ...get(outScores),
  ...get(count),
  ...i32(2),
  ...shl32,
  ...add32,
  ...get(score),
  ...storeF32,
  ...get(count),
  ...i32(1),
  ...add32,
  ...set(count),
];

/** Where a dot-product kernel keeps the query, the row stride, its two pointers, the row's end, 4 accumulators. */
export interface DotLocals {
  query: number;
  stride: number;
  p: number;
  q: number;
  end: number;
  acc: number;
}

/** The accumulators' arithmetic: vector add, lane extraction and scalar add of one lane type (f32x4 or i32x4). */
export interface LaneOps {
  addVec: number[];
  lane: (i: number) => number[];
  add: number[];
}

/**
 * One row's dot product with the query, left on the stack as a scalar: the four accumulators zeroed, `multiplyAdd`
 * over each 64 row bytes (and `queryStep` query bytes) from p to p + stride, then (acc0 + acc1) + (acc2 + acc3)
 * and its lanes (l0 + l1) + (l2 + l3).
 */
export const dotRow = (l: DotLocals, multiplyAdd: number[], queryStep: number, ops: LaneOps) => [
  ...[0, 1, 2, 3].flatMap((k) => [...zero128, ...set(l.acc + k)]),
  ...[...get(l.query), ...set(l.q)],
  ...[...get(l.p), ...get(l.stride), ...add32, ...set(l.end)],
  ...loop(
    multiplyAdd,
    [...get(l.p), ...i32(64), ...add32, ...set(l.p)],
    [...get(l.q), ...i32(queryStep), ...add32, ...set(l.q)],
    [...get(l.p), ...get(l.end), ...ltU32, ...brIf(0)],
  ),
  ...[...get(l.acc), ...get(l.acc + 1), ...ops.addVec, ...get(l.acc + 2), ...get(l.acc + 3), ...ops.addVec],
  ...[...ops.addVec, ...set(l.acc), ...get(l.acc), ...ops.lane(0), ...get(l.acc), ...ops.lane(1), ...ops.add],
  ...[...get(l.acc), ...ops.lane(2), ...get(l.acc), ...ops.lane(3), ...ops.add, ...ops.add],
];

const body = block(
  [...get(ROWS), ...eqz32, ...brIf(0)],
  loop(
    dotRow({ query: QUERY, stride: STRIDE, p: P, q: Q, end: END, acc: ACC }, multiplyAdd, 64, {
      addVec: addF32x4,
      lane: laneF32,
      add: addF32,
    }),
    set(SCORE),
    [...get(SCORE), ...get(FLOOR), ...gtF32],
    when(emit(OUT_SLOTS, OUT_SCORES, COUNT, FIRST, ROW, SCORE)),
    [...get(ROW), ...i32(1), ...add32, ...set(ROW)],
    [...get(ROW), ...get(ROWS), ...ltU32, ...brIf(0)],
  ),
);

const locals = vec([
  [4, I32], // ROW, COUNT, END, Q
  [1, F32], // SCORE
  [4, V128], // ACC..ACC+3
]);

/** The module's bytes: imports `env.memory`, exports `scan`. */
export const SCAN_WASM = moduleOf('scan', [I32, I32, I32, I32, F32, I32, I32, I32], locals, [
  ...body,
  ...get(COUNT),
]);

/** The signature of the exported function. */
export type ScanFn = (
  query: number,
  data: number,
  rows: number,
  strideBytes: number,
  floor: number,
  outSlots: number,
  outScores: number,
  firstSlot: number,
) => number;
