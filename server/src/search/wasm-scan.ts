// The WebAssembly SIMD scan kernel, assembled here as bytes so that no compiler is needed to build or run it.
// One exported function over an imported memory:
//
//   scan(query, data, rows, strideBytes, floor: f32, outSlots, outScores, firstSlot) -> count
//
// For each of `rows` rows of `strideBytes` bytes from `data` (a multiple of 64: 16 floats, zero-padded), the dot
// product with the row at `query`, four f32x4 accumulators wide; every row scoring above `floor` is appended as
// (firstSlot + row, score) to the i32/f32 arrays at `outSlots`/`outScores`, and the number appended is returned.
// The opcodes are those of the WebAssembly core and SIMD specifications (binary format, section 5.4).

const I32 = 0x7f;
const F32 = 0x7d;
const V128 = 0x7b;

/** Unsigned LEB128. */
function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}

/** Signed LEB128 of a small integer. */
function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(b & 0x40)) || (n === -1 && b & 0x40)) return [...out, b];
    out.push(b | 0x80);
  }
}

const name = (s: string) => [...uleb(s.length), ...new TextEncoder().encode(s)];
const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];

// Instructions, one small function per opcode used.
const get = (i: number) => [0x20, ...uleb(i)];
const set = (i: number) => [0x21, ...uleb(i)];
const i32 = (n: number) => [0x41, ...sleb(n)];
const add32 = [0x6a];
const shl32 = [0x74];
const ltU32 = [0x49];
const eqz32 = [0x45];
const gtF32 = [0x5e];
const addF32 = [0x92];
const store32 = [0x36, 2, 0]; // i32.store align=4 offset=0
const storeF32 = [0x38, 2, 0]; // f32.store align=4 offset=0
const simd = (op: number, ...imm: number[]) => [0xfd, ...uleb(op), ...imm];
const load128 = (offset: number) => simd(0x00, 4, ...uleb(offset)); // v128.load align=16
const zero128 = simd(0x0c, ...new Array<number>(16).fill(0)); // v128.const 0
const addF32x4 = simd(0xe4);
const mulF32x4 = simd(0xe6);
const lane = (i: number) => simd(0x1f, i); // f32x4.extract_lane
const block = (...body: number[][]) => [0x02, 0x40, ...body.flat(), 0x0b];
const loop = (...body: number[][]) => [0x03, 0x40, ...body.flat(), 0x0b];
const when = (...body: number[][]) => [0x04, 0x40, ...body.flat(), 0x0b];
const brIf = (depth: number) => [0x0d, ...uleb(depth)];

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
const emit = [
  ...get(OUT_SLOTS),
  ...get(COUNT),
  ...i32(2),
  ...shl32,
  ...add32,
  ...get(FIRST),
  ...get(ROW),
  ...add32,
  ...store32,
  ...get(OUT_SCORES),
  ...get(COUNT),
  ...i32(2),
  ...shl32,
  ...add32,
  ...get(SCORE),
  ...storeF32,
  ...get(COUNT),
  ...i32(1),
  ...add32,
  ...set(COUNT),
];

const body = block(
  [...get(ROWS), ...eqz32, ...brIf(0)],
  loop(
    [0, 1, 2, 3].flatMap((k) => [...zero128, ...set(ACC + k)]),
    [...get(QUERY), ...set(Q)],
    [...get(P), ...get(STRIDE), ...add32, ...set(END)],
    loop(
      multiplyAdd,
      [...get(P), ...i32(64), ...add32, ...set(P)],
      [...get(Q), ...i32(64), ...add32, ...set(Q)],
      [...get(P), ...get(END), ...ltU32, ...brIf(0)],
    ),
    // horizontal sum: (acc0 + acc1) + (acc2 + acc3), then its lanes (l0 + l1) + (l2 + l3)
    [...get(ACC), ...get(ACC + 1), ...addF32x4, ...get(ACC + 2), ...get(ACC + 3), ...addF32x4, ...addF32x4],
    [...set(ACC), ...get(ACC), ...lane(0), ...get(ACC), ...lane(1), ...addF32],
    [...get(ACC), ...lane(2), ...get(ACC), ...lane(3), ...addF32, ...addF32, ...set(SCORE)],
    [...get(SCORE), ...get(FLOOR), ...gtF32],
    when(emit),
    [...get(ROW), ...i32(1), ...add32, ...set(ROW)],
    [...get(ROW), ...get(ROWS), ...ltU32, ...brIf(0)],
  ),
);

const locals = vec([
  [4, I32], // ROW, COUNT, END, Q
  [1, F32], // SCORE
  [4, V128], // ACC..ACC+3
]);
const code = [...locals, ...body, ...get(COUNT), 0x0b];

/** The module's bytes: imports `env.memory`, exports `scan`. */
export const SCAN_WASM = new Uint8Array([
  ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
  ...section(
    1,
    vec([[0x60, ...vec([[I32], [I32], [I32], [I32], [F32], [I32], [I32], [I32]]), ...vec([[I32]])]]),
  ),
  ...section(2, vec([[...name('env'), ...name('memory'), 0x02, 0x00, 0x00]])), // memory, min 0 pages
  ...section(3, vec([[0]])),
  ...section(7, vec([[...name('scan'), 0x00, 0]])),
  ...section(10, vec([[...uleb(code.length), ...code]])),
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
