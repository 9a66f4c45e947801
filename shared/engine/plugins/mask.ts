// Face mask (CompreFace's `mask` plugin): without_mask / with_mask / mask_weared_incorrect from a small softmax head
// (models/mask/head.json, trained on synthetic masks by models/mask/train.ts) over the face embedding and the colour
// and texture of the nose, mouth and chin against the eyes, sampled in a frame set by the five landmarks.
import head from '../../../models/mask/head.json';
import type { Affine } from '../affine.js';
import { warpToTensor } from '../preprocess.js';
import type { RawImage } from '../../image.js';
import type { Point } from '../types.js';
import { memo } from './crop.js';
import type { FaceContext, PluginDescriptor, PluginFactory } from './contract.js';

/** CompreFace's labels (embedding-calculator/src/services/facescan/plugins/insightface/facemask/facemask.py). */
export const MASK_LABELS = ['without_mask', 'with_mask', 'mask_weared_incorrect'] as const;
export type MaskLabel = (typeof MASK_LABELS)[number];

/** A dense layer: `weights[out][in]`; ReLU between layers, softmax after the last. */
export interface DenseLayer {
  weights: number[][];
  bias: number[];
}
/** The trained head as stored in models/mask/head.json. */
export interface MaskHead {
  labels: readonly string[];
  /** Feature standardisation: (x - mean) / std. */
  mean: number[];
  std: number[];
  layers: DenseLayer[];
}

/** The face frame grid: columns x rows sampled over x in [-1, 1] d and y in [-0.8, 1.6] d (d: eyes-to-mouth). */
export const GRID = { cols: 16, rows: 24, x0: -1, x1: 1, y0: -0.8, y1: 1.6 };
/** Bands in the same units (y from the eye line towards the mouth), over the central columns |x| < 0.7 d. */
const BANDS: [number, number][] = [
  [-0.8, -0.3], // forehead
  [-0.3, 0.2], // eyes: the reference
  [0.2, 0.65], // nose
  [0.65, 1.15], // mouth
  [1.15, 1.6], // chin
];
const EYES = 1;

/** Grid-to-image map: x along the eye line, y towards the mouth, unit = eye-centre-to-mouth-centre distance. */
export function faceFrame(five: readonly Point[]): Affine {
  const [le, re, , ml, mr] = five;
  const e: Point = [(le[0] + re[0]) / 2, (le[1] + re[1]) / 2];
  const m: Point = [(ml[0] + mr[0]) / 2, (ml[1] + mr[1]) / 2];
  const d = Math.max(1, Math.hypot(m[0] - e[0], m[1] - e[1]));
  const el = Math.max(1e-6, Math.hypot(re[0] - le[0], re[1] - le[1]));
  const u: Point = [(re[0] - le[0]) / el, (re[1] - le[1]) / el];
  const v: Point = [-u[1], u[0]];
  const sx = ((GRID.x1 - GRID.x0) * d) / GRID.cols;
  const sy = ((GRID.y1 - GRID.y0) * d) / GRID.rows;
  const x0 = GRID.x0 * d;
  const y0 = GRID.y0 * d;
  return [
    u[0] * sx,
    v[0] * sy,
    e[0] + x0 * u[0] + y0 * v[0],
    u[1] * sx,
    v[1] * sy,
    e[1] + x0 * u[1] + y0 * v[1],
  ];
}

/**
 * Colour and texture features of the face frame: per band the mean chromaticity, brightness, contrast and edge
 * energy (and their difference from the eye band), then a coarse brightness and chroma thumbnail normalised by the
 * eye band. Pure maths over the image, shared by the plugin and the training script.
 */
export function regionFeatures(image: RawImage, five: readonly Point[]): number[] {
  const { cols, rows } = GRID;
  const rgb = warpToTensor(image, faceFrame(five), {
    width: cols,
    height: rows,
    layout: 'NHWC',
    colorOrder: 'RGB',
    mean: [0, 0, 0],
    std: [255, 255, 255],
  });
  const lum = new Float32Array(cols * rows);
  const chromaRG = new Float32Array(cols * rows);
  const chromaBG = new Float32Array(cols * rows);
  for (let p = 0; p < cols * rows; p++) {
    const [r, g, b] = [rgb[3 * p], rgb[3 * p + 1], rgb[3 * p + 2]];
    const s = r + g + b + 1e-3;
    lum[p] = 0.299 * r + 0.587 * g + 0.114 * b;
    chromaRG[p] = (r - g) / s;
    chromaBG[p] = (b - g) / s;
  }
  const grad = (x: number, y: number) => {
    const p = y * cols + x;
    const gx = x + 1 < cols ? lum[p + 1] - lum[p] : 0;
    const gy = y + 1 < rows ? lum[p + cols] - lum[p] : 0;
    return Math.abs(gx) + Math.abs(gy);
  };
  const colOf = (x: number) => GRID.x0 + ((x + 0.5) * (GRID.x1 - GRID.x0)) / cols;
  const rowOf = (y: number) => GRID.y0 + ((y + 0.5) * (GRID.y1 - GRID.y0)) / rows;
  const bandStats = BANDS.map(([lo, hi]) => {
    let n = 0,
      l = 0,
      l2 = 0,
      rg = 0,
      bg = 0,
      edge = 0;
    for (let y = 0; y < rows; y++) {
      const ry = rowOf(y);
      if (ry < lo || ry >= hi) continue;
      for (let x = 0; x < cols; x++) {
        if (Math.abs(colOf(x)) >= 0.7) continue;
        const p = y * cols + x;
        n++;
        l += lum[p];
        l2 += lum[p] * lum[p];
        rg += chromaRG[p];
        bg += chromaBG[p];
        edge += grad(x, y);
      }
    }
    const mean = l / n;
    return [mean, Math.sqrt(Math.max(0, l2 / n - mean * mean)), rg / n, bg / n, edge / n];
  });
  const ref = bandStats[EYES];
  const features: number[] = [];
  for (const s of bandStats) features.push(...s);
  for (const s of bandStats) if (s !== ref) features.push(...s.map((v, i) => v - ref[i]));
  // 8x12 thumbnail (2x2 pooled): brightness against the eye band's mean and contrast, chroma against its chroma.
  const scale = 1 / Math.max(0.02, ref[1]);
  for (let y = 0; y < rows; y += 2)
    for (let x = 0; x < cols; x += 2) {
      let l = 0,
        rg = 0,
        bg = 0;
      for (const p of [y * cols + x, y * cols + x + 1, (y + 1) * cols + x, (y + 1) * cols + x + 1]) {
        l += lum[p] / 4;
        rg += chromaRG[p] / 4;
        bg += chromaBG[p] / 4;
      }
      features.push((l - ref[0]) * scale, (rg - ref[2]) * 10, (bg - ref[3]) * 10);
    }
  return features;
}

/** The head's input: the L2-normalised embedding followed by the region features. */
export function maskFeatures(embedding: ArrayLike<number>, region: readonly number[]): Float32Array {
  const f = new Float32Array(embedding.length + region.length);
  f.set(embedding as ArrayLike<number>);
  f.set(region, embedding.length);
  return f;
}

/** Class probabilities of one feature vector (standardise → dense/ReLU → softmax). */
export function applyHead(h: MaskHead, x: ArrayLike<number>): number[] {
  let a = Array.from(x, (v, i) => (v - h.mean[i]) / h.std[i]);
  h.layers.forEach((layer, li) => {
    const out = layer.weights.map((row, o) => row.reduce((s, w, i) => s + w * a[i], layer.bias[o]));
    a = li < h.layers.length - 1 ? out.map((v) => Math.max(0, v)) : out;
  });
  const top = Math.max(...a);
  const e = a.map((v) => Math.exp(v - top));
  const sum = e.reduce((s, v) => s + v, 0);
  return e.map((v) => v / sum);
}

/** CompreFace's answer: the most probable label and its probability. */
export function maskResult(h: MaskHead, p: readonly number[]): { value: MaskLabel; probability: number } {
  let best = 0;
  for (let i = 1; i < p.length; i++) if (p[i] > p[best]) best = i;
  return { value: h.labels[best] as MaskLabel, probability: Math.round(p[best] * 1e5) / 1e5 };
}

/** The head's feature vector for one face (the embedding is shared with recognition/calculator when present). */
export async function faceMaskFeatures(ctx: FaceContext): Promise<Float32Array> {
  const embedding = ctx.face.embedding ?? (await memo('embedding', ctx, ctx.embed));
  return maskFeatures(embedding, regionFeatures(ctx.image, ctx.face.landmarks));
}

export const maskPlugin: PluginFactory = () => {
  const h = head as MaskHead;
  return Promise.resolve(async (ctx) => {
    ctx.face.mask = maskResult(h, applyHead(h, await faceMaskFeatures(ctx)));
  });
};

export const maskDescriptor: PluginDescriptor = {
  name: 'mask',
  field: 'mask',
  models: [],
  version: 'visor.mask',
  create: maskPlugin,
};
