// The WebAssembly SIMD scan kernel over int8 rows (the quantised index), assembled like wasm-scan.ts:
//
//   scan8(query, data, rows, strideBytes, scales, floor: f32, outSlots, outScores, firstSlot) -> count
//
// Rows are `strideBytes` int8 values (a multiple of 64, zero-padded) from `data`; the query is the same number of
// int16 values at `query`. A row's score is its integer dot product with the query (i16 widening, i32x4.dot_i16x8_s,
// four i32x4 accumulators) times the row's f32 scale at `scales` + 4·row; every row scoring above `floor` is
// appended as (firstSlot + row, score) to the i32/f32 arrays at `outSlots`/`outScores`, and the count is returned.
// Integer sums cannot overflow: |value| ≤ 127 for both, so a row of 4,096 values stays under 2^27.
//
//   scan8at(query, data, count, strideBytes, scales, floor: f32, outSlots, outScores, slots) -> count
//
// The same over the `count` rows whose slots are the i32 values at `slots` (the candidates of the first stage), each
// appended with its own slot; `outSlots` may be `slots` itself (a slot is read before any is written at its index).
import {
  add32,
  addI32x4,
  block,
  brIf,
  dotI16x8,
  eqz32,
  F32,
  f32FromI32,
  get,
  gtF32,
  I32,
  i32,
  laneI32,
  load128,
  loadF32,
  loop,
  ltU32,
  moduleOf,
  mulF32,
  load32,
  mul32,
  set,
  shl32,
  V128,
  vec,
  when,
  widenHighI8,
  widenLowI8,
} from './wasm-asm.js';
import { dotRow, emit } from './wasm-scan.js';

const tee = (i: number) => [0x22, i];

// Parameters, then locals.
const [QUERY, DATA, ROWS, STRIDE, SCALES, FLOOR, OUT_SLOTS, OUT_SCORES, FIRST] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
const [ROW, COUNT, END, Q, SCORE, ACC, BYTES] = [9, 10, 11, 12, 13, 14, 18]; // ACC..ACC+3: the accumulators
const [P, SLOT, ZERO] = [19, 20, 21]; // the row pointer, the row's slot (scan8: FIRST + ROW), a local left 0
const SLOTS = FIRST; // scan8at: where the slots are

/** acc[k] += widen(row bytes 16k…16k+15) · query values 16k…16k+15, as two i32x4.dot_i16x8_s. */
const multiplyAdd = [0, 1, 2, 3].flatMap((k) => [
  ...get(ACC + k),
  ...get(P),
  ...load128(16 * k),
  ...tee(BYTES),
  ...widenLowI8,
  ...get(Q),
  ...load128(32 * k),
  ...dotI16x8,
  ...addI32x4,
  ...get(BYTES),
  ...widenHighI8,
  ...get(Q),
  ...load128(32 * k + 16),
  ...dotI16x8,
  ...addI32x4,
  ...set(ACC + k),
]);

/**
 * The kernel's body. Walking: row ROW is at DATA + ROW·STRIDE and its slot is FIRST + ROW. Gathering: its slot is
 * slots[ROW] and it is at DATA + slot·STRIDE.
 */
const bodyOf = (gather: boolean) =>
  block(
    [...get(ROWS), ...eqz32, ...brIf(0)],
    loop(
      gather
        ? [...get(SLOTS), ...get(ROW), ...i32(2), ...shl32, ...add32, ...load32, ...set(SLOT)]
        : [...get(FIRST), ...get(ROW), ...add32, ...set(SLOT)],
      [...get(DATA), ...get(gather ? SLOT : ROW), ...get(STRIDE), ...mul32, ...add32, ...set(P)],
      dotRow({ query: QUERY, stride: STRIDE, p: P, q: Q, end: END, acc: ACC }, multiplyAdd, 128, {
        addVec: addI32x4,
        lane: laneI32,
        add: add32,
      }),
      // as f32, times the row's scale
      f32FromI32,
      [
        ...get(SCALES),
        ...get(gather ? SLOT : ROW),
        ...i32(2),
        ...shl32,
        ...add32,
        ...loadF32,
        ...mulF32,
        ...set(SCORE),
      ],
      [...get(SCORE), ...get(FLOOR), ...gtF32],
      when(emit(OUT_SLOTS, OUT_SCORES, COUNT, ZERO, SLOT, SCORE)),
      [...get(ROW), ...i32(1), ...add32, ...set(ROW)],
      [...get(ROW), ...get(ROWS), ...ltU32, ...brIf(0)],
    ),
  );

const locals = vec([
  [4, I32], // ROW, COUNT, END, Q
  [1, F32], // SCORE
  [5, V128], // ACC..ACC+3, BYTES
  [3, I32], // P, SLOT, ZERO
]);

const params = [I32, I32, I32, I32, I32, F32, I32, I32, I32];

/** The module's bytes: imports `env.memory`, exports `scan8`. */
export const SCAN8_WASM = moduleOf('scan8', params, locals, [...bodyOf(false), ...get(COUNT)]);

/** The gathering kernel's bytes: imports `env.memory`, exports `scan8at`. */
export const SCAN8_AT_WASM = moduleOf('scan8at', params, locals, [...bodyOf(true), ...get(COUNT)]);

/** The walking one over a shared memory (test/bench/search-threads.ts: does a second thread pay?). */
export const SCAN8_SHARED_WASM = moduleOf('scan8', params, locals, [...bodyOf(false), ...get(COUNT)], true);

/** The signature of the exported function. */
export type Scan8Fn = (
  query: number,
  data: number,
  rows: number,
  strideBytes: number,
  scales: number,
  floor: number,
  outSlots: number,
  outScores: number,
  firstSlot: number,
) => number;
