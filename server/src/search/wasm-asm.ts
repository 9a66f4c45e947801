// A tiny WebAssembly assembler: the binary encodings (core and SIMD specifications, binary format, section 5)
// of the few instructions the hand-written scan kernels use, and the module sections around one function.

export const I32 = 0x7f;
export const F32 = 0x7d;
export const V128 = 0x7b;
export const I64 = 0x7e;

/** Unsigned LEB128. */
export function uleb(n: number): number[] {
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
export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(b & 0x40)) || (n === -1 && b & 0x40)) return [...out, b];
    out.push(b | 0x80);
  }
}

const name = (s: string) => [...uleb(s.length), ...new TextEncoder().encode(s)];
export const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];

// Instructions, one small function or constant per opcode used.
export const get = (i: number) => [0x20, ...uleb(i)];
export const set = (i: number) => [0x21, ...uleb(i)];
export const i32 = (n: number) => [0x41, ...sleb(n)];
export const add32 = [0x6a];
export const mul32 = [0x6c];
export const shl32 = [0x74];
export const ltU32 = [0x49];
export const leU32 = [0x4d];
export const eqz32 = [0x45];
export const gtF32 = [0x5e];
export const addF32 = [0x92];
export const mulF32 = [0x94];
export const f32FromI32 = [0xb2]; // f32.convert_i32_s
export const store32 = [0x36, 2, 0]; // i32.store align=4 offset=0
export const storeF32 = [0x38, 2, 0]; // f32.store align=4 offset=0
export const loadF32 = [0x2a, 2, 0]; // f32.load align=4 offset=0
export const load32 = [0x28, 2, 0]; // i32.load align=4 offset=0
export const load64 = (offset: number) => [0x29, 3, ...uleb(offset)]; // i64.load align=8
export const xor64 = [0x85];
export const popcnt64 = [0x7b];
export const add64 = [0x7c];
export const wrap64 = [0xa7]; // i32.wrap_i64
export const simd = (op: number, ...imm: number[]) => [0xfd, ...uleb(op), ...imm];
export const load128 = (offset: number) => simd(0x00, 4, ...uleb(offset)); // v128.load align=16
export const zero128 = simd(0x0c, ...new Array<number>(16).fill(0)); // v128.const 0
export const addF32x4 = simd(0xe4);
export const mulF32x4 = simd(0xe6);
export const laneF32 = (i: number) => simd(0x1f, i); // f32x4.extract_lane
export const laneI32 = (i: number) => simd(0x1b, i); // i32x4.extract_lane
export const addI32x4 = simd(0xae);
export const dotI16x8 = simd(0xba); // i32x4.dot_i16x8_s
export const widenLowI8 = simd(0x87); // i16x8.extend_low_i8x16_s
export const widenHighI8 = simd(0x88); // i16x8.extend_high_i8x16_s
export const block = (...body: number[][]) => [0x02, 0x40, ...body.flat(), 0x0b];
export const loop = (...body: number[][]) => [0x03, 0x40, ...body.flat(), 0x0b];
export const when = (...body: number[][]) => [0x04, 0x40, ...body.flat(), 0x0b];
export const brIf = (depth: number) => [0x0d, ...uleb(depth)];

/**
 * A module that imports `env.memory` and exports one function `exported` of the given parameter types returning
 * an i32; `locals` is the encoded local declarations, `body` the instructions (the function's `end` is added).
 * `shared`: the memory imported is a shared one (at most 4 GiB), which worker threads can scan too.
 */
export function moduleOf(
  exported: string,
  params: number[],
  locals: number[],
  body: number[],
  shared = false,
): Uint8Array<ArrayBuffer> {
  const code = [...locals, ...body, 0x0b];
  const limits = shared ? [0x03, 0x00, ...uleb(65536)] : [0x00, 0x00]; // min 0 pages (shared: max 65,536)
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec([[0x60, ...vec(params.map((p) => [p])), ...vec([[I32]])]])),
    ...section(2, vec([[...name('env'), ...name('memory'), 0x02, ...limits]])),
    ...section(3, vec([[0]])),
    ...section(7, vec([[...name(exported), 0x00, 0]])),
    ...section(10, vec([[...uleb(code.length), ...code]])),
  ]);
}
