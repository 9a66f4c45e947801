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

/** Sub-samples per axis for a map that shrinks by `scale` (k×k bilinear samples are averaged per output pixel). */
function supersampling(m: Affine): number {
  return Math.min(MAX_SUPERSAMPLE, Math.max(1, Math.ceil(affineScale(m) - 0.25)));
}

/**
 * Samples `spec.width`x`spec.height` pixels where output point (x, y) (pixel-edge coordinates) reads source point
 * `dstToSrc(x, y)`; outside the image reads black. Writes into `out` at `offset` (batching) or a new array.
 * Axis-aligned maps (detector views) take a separable path with the same weights at a fraction of the cost.
 */
export function warpToTensor(
  image: RawImage,
  dstToSrc: Affine,
  spec: TensorSpec,
  out?: Float32Array,
  offset = 0,
): Float32Array {
  const rgb = new Float32Array(spec.width * spec.height * 3);
  const k = supersampling(dstToSrc);
  if (dstToSrc[1] === 0 && dstToSrc[3] === 0)
    sampleSeparable(image, dstToSrc, spec.width, spec.height, k, rgb);
  else sampleGeneral(image, dstToSrc, spec.width, spec.height, k, rgb);
  const tensor = out ?? new Float32Array(spec.width * spec.height * (spec.grayscale ? 1 : 3));
  normalise(rgb, spec, tensor, offset);
  return tensor;
}

/** RGB samples → the model's colour order, (v - mean) / std and layout (or one grey channel). */
function normalise(rgb: Float32Array, spec: TensorSpec, tensor: Float32Array, offset: number): void {
  const plane = spec.width * spec.height;
  const [m0, m1, m2] = spec.mean;
  const [i0, i1, i2] = spec.std.map((s) => 1 / s);
  const grey = spec.grayscale;
  if (grey) {
    for (let p = 0; p < plane; p++)
      tensor[offset + p] =
        (grey[0] * rgb[3 * p] + grey[1] * rgb[3 * p + 1] + grey[2] * rgb[3 * p + 2] - m0) * i0;
    return;
  }
  // c0 is the source channel of the model's first channel (R for RGB, B for BGR).
  const c0 = spec.colorOrder === 'RGB' ? 0 : 2;
  const c2 = 2 - c0;
  if (spec.layout === 'NCHW') {
    for (let p = 0; p < plane; p++) {
      tensor[offset + p] = (rgb[3 * p + c0] - m0) * i0;
      tensor[offset + plane + p] = (rgb[3 * p + 1] - m1) * i1;
      tensor[offset + 2 * plane + p] = (rgb[3 * p + c2] - m2) * i2;
    }
  } else {
    for (let p = 0; p < plane; p++) {
      tensor[offset + 3 * p] = (rgb[3 * p + c0] - m0) * i0;
      tensor[offset + 3 * p + 1] = (rgb[3 * p + 1] - m1) * i1;
      tensor[offset + 3 * p + 2] = (rgb[3 * p + c2] - m2) * i2;
    }
  }
}

/** Per output index along one axis: the source indices and weights of its k bilinear sub-samples (in range only). */
interface AxisTaps {
  index: Int32Array;
  weight: Float32Array;
  count: Int32Array;
  stride: number;
  lo: number;
  hi: number;
}

function axisTaps(n: number, scale: number, shift: number, k: number, limit: number): AxisTaps {
  const stride = 2 * k;
  const index = new Int32Array(n * stride);
  const weight = new Float32Array(n * stride);
  const count = new Int32Array(n);
  let lo = limit;
  let hi = -1;
  for (let i = 0; i < n; i++) {
    let c = i * stride;
    for (let s = 0; s < k; s++) {
      const u = scale * (i + (s + 0.5) / k) + shift - 0.5;
      const x0 = Math.floor(u);
      const f = u - x0;
      for (let d = 0; d < 2; d++) {
        const x = x0 + d;
        if (x < 0 || x >= limit) continue;
        const w = (d ? f : 1 - f) / k;
        // Sub-samples ascend, so a repeated source index is the previous tap: merge it.
        if (c > i * stride && index[c - 1] === x) weight[c - 1] += w;
        else {
          index[c] = x;
          weight[c++] = w;
        }
        if (x < lo) lo = x;
        if (x > hi) hi = x;
      }
    }
    count[i] = c - i * stride;
  }
  return { index, weight, count, stride, lo, hi };
}

/** x' = a·x + c, y' = e·y + f: rows then columns, each with its own tap table. */
function sampleSeparable(img: RawImage, m: Affine, W: number, H: number, k: number, rgb: Float32Array): void {
  const { data, width: iw, height: ih, channels: ch } = img;
  const xs = axisTaps(W, m[0], m[2], k, iw);
  const ys = axisTaps(H, m[4], m[5], k, ih);
  if (ys.hi < ys.lo || xs.hi < xs.lo) return; // the view misses the image: all black
  const rowLen = W * 3;
  const tmp = new Float32Array((ys.hi - ys.lo + 1) * rowLen);
  for (let r = ys.lo; r <= ys.hi; r++) {
    const src = r * iw;
    const dst = (r - ys.lo) * rowLen;
    for (let x = 0; x < W; x++) {
      let a = 0;
      let b = 0;
      let c = 0;
      const t0 = x * xs.stride;
      const t1 = t0 + xs.count[x];
      for (let t = t0; t < t1; t++) {
        const w = xs.weight[t];
        const i = (src + xs.index[t]) * ch;
        a += w * data[i];
        b += w * data[i + 1];
        c += w * data[i + 2];
      }
      tmp[dst + 3 * x] = a;
      tmp[dst + 3 * x + 1] = b;
      tmp[dst + 3 * x + 2] = c;
    }
  }
  for (let y = 0; y < H; y++) {
    const t0 = y * ys.stride;
    const t1 = t0 + ys.count[y];
    const dst = y * rowLen;
    for (let t = t0; t < t1; t++) {
      const w = ys.weight[t];
      const src = (ys.index[t] - ys.lo) * rowLen;
      for (let j = 0; j < rowLen; j++) rgb[dst + j] += w * tmp[src + j];
    }
  }
}

/** Any affine map: k×k bilinear sub-samples per output pixel. */
function sampleGeneral(img: RawImage, m: Affine, W: number, H: number, k: number, rgb: Float32Array): void {
  const { data, width: iw, height: ih, channels: ch } = img;
  const [ma, mb, mc, md, me, mf] = m;
  const weight = 1 / (k * k);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (let sy = 0; sy < k; sy++) {
        const oy = y + (sy + 0.5) / k;
        for (let sx = 0; sx < k; sx++) {
          const ox = x + (sx + 0.5) / k;
          const u = ma * ox + mb * oy + mc - 0.5;
          const v = md * ox + me * oy + mf - 0.5;
          const x0 = Math.floor(u);
          const y0 = Math.floor(v);
          const fx = u - x0;
          const fy = v - y0;
          if (x0 >= 0 && y0 >= 0 && x0 + 1 < iw && y0 + 1 < ih) {
            const w00 = (1 - fx) * (1 - fy) * weight;
            const w10 = fx * (1 - fy) * weight;
            const w01 = (1 - fx) * fy * weight;
            const w11 = fx * fy * weight;
            const i00 = (y0 * iw + x0) * ch;
            const i01 = i00 + iw * ch;
            r += w00 * data[i00] + w10 * data[i00 + ch] + w01 * data[i01] + w11 * data[i01 + ch];
            g +=
              w00 * data[i00 + 1] + w10 * data[i00 + ch + 1] + w01 * data[i01 + 1] + w11 * data[i01 + ch + 1];
            b +=
              w00 * data[i00 + 2] + w10 * data[i00 + ch + 2] + w01 * data[i01 + 2] + w11 * data[i01 + ch + 2];
            continue;
          }
          for (let dy = 0; dy < 2; dy++) {
            const yy = y0 + dy;
            if (yy < 0 || yy >= ih) continue;
            const wy = (dy ? fy : 1 - fy) * weight;
            for (let dx = 0; dx < 2; dx++) {
              const xx = x0 + dx;
              if (xx < 0 || xx >= iw) continue;
              const w = wy * (dx ? fx : 1 - fx);
              const i = (yy * iw + xx) * ch;
              r += w * data[i];
              g += w * data[i + 1];
              b += w * data[i + 2];
            }
          }
        }
      }
      const p = 3 * (y * W + x);
      rgb[p] = r;
      rgb[p + 1] = g;
      rgb[p + 2] = b;
    }
  }
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

/**
 * Copies the tensor at `from` to `to` mirrored left-right. Equals warpToTensor through `mirrored(map)`: the mirrored
 * grid samples the same sub-pixel positions, so the embedder's mirrored pass needs no second warp.
 */
export function mirrorTensor(data: Float32Array, spec: TensorSpec, from: number, to: number): void {
  const { width: W, height: H } = spec;
  const perPixel = spec.grayscale || spec.layout === 'NCHW' ? 1 : 3;
  const planes = spec.grayscale ? 1 : spec.layout === 'NCHW' ? 3 : 1;
  const rowLen = W * perPixel;
  for (let p = 0; p < planes; p++)
    for (let y = 0; y < H; y++) {
      const row = p * H * rowLen + y * rowLen;
      for (let x = 0; x < W; x++)
        for (let c = 0; c < perPixel; c++)
          data[to + row + x * perPixel + c] = data[from + row + (W - 1 - x) * perPixel + c];
    }
}

/** An image resampled at 1/scale (RGB, 0..255 floats), whose crops stand in for warps at that scale. */
export interface ResampledImage {
  rgb: Float32Array;
  width: number;
  height: number;
  scale: number;
}

/**
 * The whole image at 1/scale, sampled as warpToTensor samples (same sub-samples and weights), one pixel wider and
 * taller than the image so edge pixels that still read it are kept. Detector tiles share one scale: cropping this
 * at a whole-pixel offset gives exactly the tile's warp, for one resample instead of one per tile.
 */
export function resampleImage(image: RawImage, scale: number): ResampledImage {
  const width = Math.ceil(image.width / scale) + 1;
  const height = Math.ceil(image.height / scale) + 1;
  const m: Affine = [scale, 0, 0, 0, scale, 0];
  const rgb = new Float32Array(width * height * 3);
  sampleSeparable(image, m, width, height, supersampling(m), rgb);
  return { rgb, width, height, scale };
}

/** warpToTensor(image, [s, 0, col·s, 0, s, row·s], spec) from `resampleImage(image, s)`; col, row ≥ 0 whole pixels. */
export function cropToTensor(
  src: ResampledImage,
  col: number,
  row: number,
  spec: TensorSpec,
  out?: Float32Array,
  offset = 0,
): Float32Array {
  const { width: W, height: H } = spec;
  const rgb = new Float32Array(W * H * 3);
  const w = Math.max(0, Math.min(W, src.width - col));
  for (let y = 0; y < H && row + y < src.height; y++) {
    const from = ((row + y) * src.width + col) * 3;
    rgb.set(src.rgb.subarray(from, from + w * 3), y * W * 3);
  }
  const tensor = out ?? new Float32Array(W * H * (spec.grayscale ? 1 : 3));
  normalise(rgb, spec, tensor, offset);
  return tensor;
}
