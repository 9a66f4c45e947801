// Image → model tensor: bilinear affine sampling from a lazily built 2x pyramid (so big downscales do not alias),
// then the manifest's colour order, mean/std and layout.
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
}

/** Halves an image with a 2x2 box filter (odd last row/column dropped). */
export function halve(img: RawImage): RawImage {
  const w = img.width >> 1;
  const h = img.height >> 1;
  const c = img.channels;
  const src = img.data;
  const out = new Uint8Array(w * h * c);
  const stride = img.width * c;
  for (let y = 0; y < h; y++) {
    const r0 = 2 * y * stride;
    const r1 = r0 + stride;
    let o = y * w * c;
    for (let x = 0; x < w; x++) {
      const i = 2 * x * c;
      for (let k = 0; k < c; k++, o++) {
        out[o] = (src[r0 + i + k] + src[r0 + i + c + k] + src[r1 + i + k] + src[r1 + i + c + k] + 2) >> 2;
      }
    }
  }
  return { data: out, width: w, height: h, channels: c };
}

/** An image with its 2x pyramid, built on demand and kept for the image's lifetime. */
export class ImagePyramid {
  private readonly levels: RawImage[];
  constructor(readonly image: RawImage) {
    this.levels = [image];
  }
  get width(): number {
    return this.image.width;
  }
  get height(): number {
    return this.image.height;
  }
  /** Level n is the image halved n times (stops before a side would drop under 8 pixels). */
  level(n: number): { image: RawImage; factor: number } {
    while (this.levels.length <= n) {
      const last = this.levels[this.levels.length - 1];
      if (last.width < 16 || last.height < 16) break;
      this.levels.push(halve(last));
    }
    const l = Math.min(n, this.levels.length - 1);
    return { image: this.levels[l], factor: 2 ** l };
  }
}

/**
 * Samples `spec.width`x`spec.height` pixels where output point (x, y) (pixel-edge coordinates) reads source point
 * `dstToSrc(x, y)`; outside the image reads black. Writes into `out` at `offset` (batching) or a new array.
 */
export function warpToTensor(
  src: ImagePyramid,
  dstToSrc: Affine,
  spec: TensorSpec,
  out?: Float32Array,
  offset = 0,
): Float32Array {
  const { width: W, height: H } = spec;
  const tensor = out ?? new Float32Array(W * H * 3);
  const scale = affineScale(dstToSrc);
  const { image, factor } = src.level(Math.max(0, Math.floor(Math.log2(scale))));
  const m = dstToSrc.map((v) => v / factor);
  const { data, width: iw, height: ih, channels: c } = image;
  const rgb = spec.colorOrder === 'RGB';
  const ch = rgb ? [0, 1, 2] : [2, 1, 0];
  const mean = spec.mean; // listed in the model's channel order
  const inv = spec.std.map((s) => 1 / s);
  const px = [0, 0, 0];
  const nchw = spec.layout === 'NCHW';
  const plane = W * H;
  for (let y = 0; y < H; y++) {
    const oy = y + 0.5;
    for (let x = 0; x < W; x++) {
      const ox = x + 0.5;
      const u = m[0] * ox + m[1] * oy + m[2] - 0.5;
      const v = m[3] * ox + m[4] * oy + m[5] - 0.5;
      const x0 = Math.floor(u);
      const y0 = Math.floor(v);
      const fx = u - x0;
      const fy = v - y0;
      px[0] = px[1] = px[2] = 0;
      for (let dy = 0; dy < 2; dy++) {
        const yy = y0 + dy;
        if (yy < 0 || yy >= ih) continue;
        const wy = dy ? fy : 1 - fy;
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
      const p = y * W + x;
      for (let k = 0; k < 3; k++) {
        const value = (px[ch[k]] - mean[k]) * inv[k];
        if (nchw) tensor[offset + k * plane + p] = value;
        else tensor[offset + p * 3 + k] = value;
      }
    }
  }
  return tensor;
}
