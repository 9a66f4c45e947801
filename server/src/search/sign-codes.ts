// Sign codes for the first stage of a large quantised VectorIndex: each vector is rotated by a fixed pseudo-random
// orthogonal transform and keeps one bit per output, its sign (sign random projections, Charikar 2002). The
// Hamming distance between two codes of `bits` bits estimates the angle between the vectors: for unit vectors at
// angle θ each bit differs with probability θ/π, so distance / bits ≈ θ/π, within about √(p(1−p)/bits).
// The transform is a randomised Walsh–Hadamard one (three rounds of random sign flips and a Hadamard transform,
// O(d log d), as in fast Johnson–Lindenstrauss transforms); it needs no training, so codes are made one vector at a
// time as examples are added, and a code depends on its vector only.

/**
 * Code bits for `dim`-d vectors: 256 up to 192-d (twice face-api's 128), else 384 (¾ of 512-d: 48 bytes a row, so
 * that a 512-d index stays under 70 MB per 100k examples with its int8 rows).
 */
export function codeBitsFor(dim: number): number {
  return dim <= 192 ? 256 : 384;
}

/** Rounds of sign flip + Hadamard transform per rotation. */
const ROUNDS = 3;

/** The seed of every index's transform: codes of one dimension and size are comparable across indexes and runs. */
const SEED = 0x5eed5;

/** In-place unnormalised Walsh–Hadamard transform of `x` (its length a power of two). */
export function hadamard(x: Float64Array): void {
  const n = x.length;
  for (let h = 1; h < n; h *= 2) {
    for (let i = 0; i < n; i += 2 * h) {
      for (let j = i; j < i + h; j++) {
        const a = x[j];
        const b = x[j + h];
        x[j] = a + b;
        x[j + h] = a - b;
      }
    }
  }
}

/** Deterministic ±1 values (mulberry32). */
function signs(seed: number, n: number): Int8Array {
  const out = new Int8Array(n);
  for (let i = 0; i < n; i++) {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    out[i] = ((t ^ (t >>> 14)) >>> 0) & 1 ? 1 : -1;
  }
  return out;
}

/** The fixed transform of `dim`-d vectors to `bits`-bit sign codes (bits a multiple of 8). */
export class SignProjection {
  /** Bytes per code. */
  readonly bytes: number;
  /** The transform's length: the dimension rounded up to a power of two. */
  private readonly size: number;
  /** ROUNDS sign vectors per rotation; as many rotations as `bits` needs outputs. */
  private readonly flips: Int8Array[][];
  private readonly work: Float64Array;

  constructor(
    readonly dim: number,
    readonly bits: number = codeBitsFor(dim),
  ) {
    if (bits <= 0 || bits % 8)
      throw new RangeError(`code bits must be a positive multiple of 8, got ${bits}`);
    this.bytes = bits / 8;
    this.size = 2 ** Math.ceil(Math.log2(Math.max(dim, 2)));
    const rotations = Math.ceil(bits / this.size);
    let seed = SEED;
    this.flips = Array.from({ length: rotations }, () =>
      Array.from({ length: ROUNDS }, () => signs(seed++, this.size)),
    );
    this.work = new Float64Array(this.size);
  }

  /** The rotated `v` (dim long): `bits` values, the first outputs of each rotation in turn. */
  rotate(v: ArrayLike<number>): Float64Array {
    const out = new Float64Array(this.bits);
    const x = this.work;
    this.flips.forEach((rounds, r) => {
      x.fill(0);
      for (let i = 0; i < this.dim; i++) x[i] = v[i];
      for (const flip of rounds) {
        for (let i = 0; i < x.length; i++) x[i] *= flip[i];
        hadamard(x);
      }
      const from = r * this.size;
      out.set(x.subarray(0, Math.min(this.size, this.bits - from)), from);
    });
    return out;
  }

  /** Writes the sign code of `v` into `out` (`bytes` long): bit i (byte i >> 3, bit i & 7) is set when output i > 0. */
  encode(v: ArrayLike<number>, out: Uint8Array): Uint8Array {
    const y = this.rotate(v);
    out.fill(0, 0, this.bytes);
    for (let i = 0; i < this.bits; i++) if (y[i] > 0) out[i >> 3] |= 1 << (i & 7);
    return out;
  }
}

/** Set bits in a 32-bit word. */
export function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

/** Bits that differ between the codes of `words` 32-bit words at word `ai` of `a` and word `bi` of `b`. */
export function hamming(a: Uint32Array, ai: number, b: Uint32Array, bi: number, words: number): number {
  let d = 0;
  for (let i = 0; i < words; i++) d += popcount32(a[ai + i] ^ b[bi + i]);
  return d;
}

/**
 * The smallest distance `t` such that at least `want` of the distances counted in `histogram` (count per
 * distance) are ≤ t; the last distance when there are fewer.
 */
export function cutoff(histogram: Int32Array, want: number): number {
  let sum = 0;
  for (let t = 0; t < histogram.length; t++) {
    sum += histogram[t];
    if (sum >= want) return t;
  }
  return histogram.length - 1;
}
