// Real face photos as model inputs: decode with sharp, centre-crop/resize, normalise as the manifest says.
import { join } from 'node:path';
import sharp from 'sharp';
import type { ModelInput } from '../../../models/src/spec.js';

export const samplesDir = join(import.meta.dirname, '../../fixtures/compreface-samples');

/** Grey weights human uses for its single-channel models (emotion, gender). */
export const GREY = [0.2989, 0.587, 0.114] as const;

const decoded = new Map<string, Promise<Buffer>>();

/** The photo's RGB bytes centre-cropped and resized to w x h, decoded once per size (the A photos are 36 MP). */
function resized(file: string, w: number, h: number): Promise<Buffer> {
  const key = `${file}:${w}x${h}`;
  let data = decoded.get(key);
  if (!data) {
    data = sharp(join(samplesDir, file)).removeAlpha().resize(w, h, { fit: 'cover' }).raw().toBuffer();
    decoded.set(key, data);
  }
  return data;
}

/**
 * Reads a photo as an NHWC float tensor for `input` (batch 1): `(pixel - mean) / std` per channel,
 * converted to grey with `GREY` when the model has one channel.
 */
export async function photoTensor(
  file: string,
  input: ModelInput,
): Promise<{ data: Float32Array; dims: number[] }> {
  const [, h, w, c] = input.shape.map(Number);
  const data = await resized(file, w, h);
  const out = new Float32Array(h * w * c);
  // channel k of the model's order is byte `from[k]` of the RGB pixel (no per-pixel arrays: ~0.5 core-s a file)
  const from = input.colorOrder === 'BGR' ? [2, 1, 0] : [0, 1, 2];
  const [m0, m1, m2] = input.mean;
  const [s0, s1, s2] = input.std;
  for (let p = 0; p < h * w; p++) {
    const v0 = data[p * 3 + from[0]];
    const v1 = data[p * 3 + from[1]];
    const v2 = data[p * 3 + from[2]];
    if (c === 1) out[p] = (GREY[0] * v0 + GREY[1] * v1 + GREY[2] * v2 - m0) / s0;
    else {
      out[p * 3] = (v0 - m0) / s0;
      out[p * 3 + 1] = (v1 - m1) / s1;
      out[p * 3 + 2] = (v2 - m2) / s2;
    }
  }
  return { data: out, dims: [1, h, w, c] };
}

/** max|a - b| / max(max|b|, 1e-6): error relative to the reference output's largest magnitude. */
export function maxRelError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let diff = 0;
  let scale = 1e-6;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / scale;
}
