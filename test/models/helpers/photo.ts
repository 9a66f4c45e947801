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
  for (let p = 0; p < h * w; p++) {
    const rgb = [data[p * 3], data[p * 3 + 1], data[p * 3 + 2]];
    if (input.colorOrder === 'BGR') rgb.reverse();
    if (c === 1)
      out[p] = (GREY[0] * rgb[0] + GREY[1] * rgb[1] + GREY[2] * rgb[2] - input.mean[0]) / input.std[0];
    else for (let k = 0; k < 3; k++) out[p * 3 + k] = (rgb[k] - input.mean[k]) / input.std[k];
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
