// Embedding maths: L2 normalisation, distance and CompreFace's calibrated similarity (tanh((c0 - d) * c1) + 1) / 2.

export interface Calibration {
  /** L2 distance at which similarity is 0.5 (the equal-error point on LFW View 1 devtrain). */
  c0: number;
  /** Steepness of the tanh around c0. */
  c1: number;
}

export function l2normalize(v: Float32Array): Float32Array {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i] * inv;
  return out;
}

export function l2distance(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new RangeError(`embedding sizes differ: ${a.length} vs ${b.length}`);
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - b[i];
    s += d * d;
  }
  return Math.sqrt(s);
}

export function calibratedSimilarity(distance: number, { c0, c1 }: Calibration): number {
  return (Math.tanh((c0 - distance) * c1) + 1) / 2;
}
