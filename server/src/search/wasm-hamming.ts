// The WebAssembly Hamming kernel over sign codes (sign-codes.ts), assembled like wasm-scan.ts, one module per code
// size (its 64-bit words unrolled, the query's held in locals):
//
//   hamming(query, codes, rows, maxDist, outSlots, outDists, firstSlot) -> count
//
// Codes are `bytes` bytes each, one after the other from `codes`; a code's distance is the number of bits that
// differ from the code at `query` (i64.xor, i64.popcnt: one instruction each on current x86 and ARM cores, faster
// here than SIMD byte popcounts, which x86 emulates with table look-ups). Every code at distance ≤ maxDist is
// appended as (firstSlot + row, distance) to the i32 arrays at `outSlots`/`outDists`, and the count is returned.
import {
  add32,
  add64,
  block,
  brIf,
  eqz32,
  get,
  I32,
  I64,
  i32,
  leU32,
  load64,
  loop,
  ltU32,
  moduleOf,
  popcnt64,
  set,
  shl32,
  store32,
  vec,
  when,
  wrap64,
  xor64,
} from './wasm-asm.js';

// Parameters, then locals.
const [QUERY, CODES, ROWS, MAX, OUT_SLOTS, OUT_DISTS, FIRST] = [0, 1, 2, 3, 4, 5, 6];
const [ROW, COUNT, DIST, QW] = [7, 8, 9, 10]; // QW..: the query's 64-bit words
const P = CODES; // the code pointer walks through the codes

/** The largest code the kernel takes, in bytes. */
export const MAX_CODE_BYTES = 256;

/** out[COUNT] = value (i32 array at `array`). */
const storeAt = (array: number, value: number[]) => [
  ...get(array),
  ...get(COUNT),
  ...i32(2),
  ...shl32,
  ...add32,
  ...value,
  ...store32,
];

const modules = new Map<number, Uint8Array<ArrayBuffer>>();

/** The module's bytes for codes of `bytes` bytes (a multiple of 8): imports `env.memory`, exports `hamming`. */
export function hammingWasm(bytes: number): Uint8Array<ArrayBuffer> {
  if (bytes <= 0 || bytes % 8 || bytes > MAX_CODE_BYTES)
    throw new RangeError(`code bytes must be a multiple of 8 up to ${MAX_CODE_BYTES}, got ${bytes}`);
  let module = modules.get(bytes);
  if (module) return module;
  const words = bytes / 8;
  const word = (k: number) => [...get(P), ...load64(8 * k), ...get(QW + k), ...xor64, ...popcnt64];
  // two running sums (even and odd words) so that the adds do not wait on each other
  const sum = (parity: number) => {
    const ks = Array.from({ length: words }, (_, k) => k).filter((k) => k % 2 === parity);
    return ks.flatMap((k, i) => [...word(k), ...(i > 0 ? add64 : [])]);
  };
  const body = [
    ...Array.from({ length: words }, (_, k) => [...get(QUERY), ...load64(8 * k), ...set(QW + k)]).flat(),
    ...block(
      [...get(ROWS), ...eqz32, ...brIf(0)],
      loop(
        sum(0),
        words > 1 ? [...sum(1), ...add64] : [],
        [...wrap64, ...set(DIST)],
        [...get(DIST), ...get(MAX), ...leU32],
        when(storeAt(OUT_SLOTS, [...get(FIRST), ...get(ROW), ...add32]), storeAt(OUT_DISTS, get(DIST)), [
          ...get(COUNT),
          ...i32(1),
          ...add32,
          ...set(COUNT),
        ]),
        [...get(P), ...i32(bytes), ...add32, ...set(P)],
        [...get(ROW), ...i32(1), ...add32, ...set(ROW)],
        [...get(ROW), ...get(ROWS), ...ltU32, ...brIf(0)],
      ),
    ),
    ...get(COUNT),
  ];
  const locals = vec([
    [3, I32], // ROW, COUNT, DIST
    [words, I64], // QW..
  ]);
  module = moduleOf('hamming', [I32, I32, I32, I32, I32, I32, I32], locals, body);
  modules.set(bytes, module);
  return module;
}

/** The signature of the exported function. */
export type HammingFn = (
  query: number,
  codes: number,
  rows: number,
  maxDist: number,
  outSlots: number,
  outDists: number,
  firstSlot: number,
) => number;
