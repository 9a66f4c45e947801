// Image → model tensor: affine sampling with k×k bilinear supersampling per output pixel (k follows the
// downscale, so a 36 MP photo shrunk to 256 pixels does not alias), then the manifest's colour order, mean/std, layout.
import type { RawImage } from '../image.js';
import { affineScale, type Affine } from './affine.js';

export interface TensorSpec {
  width: number;
  height: number;
  layout: 'NHWC' | 'NCHW';
  colorOrder: 'RGB' | 'BGR';
  /** The model sees (pixel - mean) / std, pixels in 0..255, both in the model's channel order. */
  mean: readonly [number, number, number];
  std: readonly [number, number, number];
  /** One grey channel = weights · RGB (then mean[0]/std[0]) instead of three colour channels. */
  grayscale?: readonly [number, number, number];
}

/** Most sub-samples per axis; enough for a smooth area average at any practical downscale. */
const MAX_SUPERSAMPLE = 6;

/**
 * Samples `spec.width`x`spec.height` pixels where output point (x, y) (pixel-edge coordinates) reads source point
 * `dstToSrc(x, y)`; outside the image reads black. Writes into `out` at `offset` (batching) or a new array.
 */
export function warpToTensor(
  image: RawImage,
  dstToSrc: Affine,
  spec: TensorSpec,
  out?: Float32Array,
  offset = 0,
): Float32Array {
  const { width: W, height: H } = spec;
  const grey = spec.grayscale;
  const channels = grey ? 1 : 3;
  const tensor = out ?? new Float32Array(W * H * channels);
  const k = Math.min(MAX_SUPERSAMPLE, Math.max(1, Math.ceil(affineScale(dstToSrc) - 0.25)));
  const m = dstToSrc;
  const { data, width: iw, height: ih, channels: c } = image;
  const ch = spec.colorOrder === 'RGB' ? [0, 1, 2] : [2, 1, 0];
  const mean = spec.mean; // listed in the model's channel order
  const inv = spec.std.map((s) => 1 / s);
  const px = [0, 0, 0];
  const nchw = spec.layout === 'NCHW';
  const plane = W * H;
  const weight = 1 / (k * k);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      px[0] = px[1] = px[2] = 0;
      for (let sy = 0; sy < k; sy++) {
        const oy = y + (sy + 0.5) / k;
        for (let sx = 0; sx < k; sx++) {
          const ox = x + (sx + 0.5) / k;
          const u = m[0] * ox + m[1] * oy + m[2] - 0.5;
          const v = m[3] * ox + m[4] * oy + m[5] - 0.5;
          const x0 = Math.floor(u);
          const y0 = Math.floor(v);
          const fx = u - x0;
          const fy = v - y0;
          for (let dy = 0; dy < 2; dy++) {
            const yy = y0 + dy;
            if (yy < 0 || yy >= ih) continue;
            const wy = (dy ? fy : 1 - fy) * weight;
            for (let dx = 0; dx < 2; dx++) {
              const xx = x0 + dx;
              if (xx < 0 || xx >= iw) continue;
              const w = wy * (dx ? fx : 1 - fx);
              const i = (yy * iw + xx) * c;
              px[0] += w * data[i];
              px[1] += w * data[i + 1];
              px[2] += w * data[i + 2];
            }
          }
        }
      }
      const p = y * W + x;
      if (grey) {
        tensor[offset + p] = (grey[0] * px[0] + grey[1] * px[1] + grey[2] * px[2] - mean[0]) * inv[0];
        continue;
      }
      for (let k = 0; k < 3; k++) {
        const value = (px[ch[k]] - mean[k]) * inv[k];
        if (nchw) tensor[offset + k * plane + p] = value;
        else tensor[offset + p * 3 + k] = value;
      }
    }
  }
  return tensor;
}

/** Shrinks an image by an integer factor with a box filter (partial edge blocks dropped); RGB out. */
export function shrink(img: RawImage, factor: number): RawImage {
  const w = Math.floor(img.width / factor);
  const h = Math.floor(img.height / factor);
  const c = img.channels;
  const src = img.data;
  const out = new Uint8Array(w * h * 3);
  const acc = new Float64Array(w * 3);
  const norm = 1 / (factor * factor);
  for (let y = 0; y < h; y++) {
    acc.fill(0);
    for (let dy = 0; dy < factor; dy++) {
      let i = (y * factor + dy) * img.width * c;
      for (let x = 0; x < w; x++)
        for (let dx = 0; dx < factor; dx++, i += c) {
          acc[3 * x] += src[i];
          acc[3 * x + 1] += src[i + 1];
          acc[3 * x + 2] += src[i + 2];
        }
    }
    for (let k = 0; k < w * 3; k++) out[y * w * 3 + k] = Math.round(acc[k] * norm);
  }
  return { data: out, width: w, height: h, channels: 3 };
}
