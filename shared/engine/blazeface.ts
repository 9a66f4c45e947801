// BlazeFace-family detector maths: SSD anchor grid and decoding of raw regressors/logits into scored candidates.
import type { Candidate } from './nms.js';
import type { Point } from './types.js';

export interface AnchorConfig {
  inputSize: number;
  /** Feature-map strides in input pixels, one per layer (e.g. [8, 16] for the 128 front model). */
  strides: readonly number[];
  /** Anchors per grid cell for each stride (e.g. [2, 6]). */
  anchorsPerCell: readonly number[];
}

/** Anchor centres in input pixels, interleaved x,y, in the order the model emits them (layer, row, column, anchor). */
export function blazeFaceAnchors(cfg: AnchorConfig): Float32Array {
  const out: number[] = [];
  cfg.strides.forEach((stride, l) => {
    const cells = Math.ceil(cfg.inputSize / stride);
    for (let gy = 0; gy < cells; gy++)
      for (let gx = 0; gx < cells; gx++)
        for (let n = 0; n < cfg.anchorsPerCell[l]; n++) out.push(stride * (gx + 0.5), stride * (gy + 0.5));
  });
  return new Float32Array(out);
}

export const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

export interface BlazeFaceRaw {
  /** Per anchor: [dx, dy, w, h, kx0, ky0, …] in input pixels, anchor-relative centre and keypoints. */
  regressors: Float32Array;
  regStride: number;
  regOffset: number;
  /** Per anchor: a logit at `logits[i * logitStride + logitOffset]`. */
  logits: Float32Array;
  logitStride: number;
  logitOffset: number;
  keypoints: number;
}

/** Decodes every anchor whose sigmoid score exceeds `minScore` into a box and keypoints in input pixels. */
export function decodeBlazeFace(raw: BlazeFaceRaw, anchors: Float32Array, minScore: number): Candidate[] {
  const n = anchors.length / 2;
  const out: Candidate[] = [];
  const minLogit = Math.log(minScore / (1 - minScore));
  for (let i = 0; i < n; i++) {
    const logit = raw.logits[i * raw.logitStride + raw.logitOffset];
    if (!(logit > minLogit)) continue;
    const r = i * raw.regStride + raw.regOffset;
    const ax = anchors[2 * i];
    const ay = anchors[2 * i + 1];
    const cx = ax + raw.regressors[r];
    const cy = ay + raw.regressors[r + 1];
    const w = raw.regressors[r + 2];
    const h = raw.regressors[r + 3];
    const keypoints: Point[] = [];
    for (let k = 0; k < raw.keypoints; k++)
      keypoints.push([ax + raw.regressors[r + 4 + 2 * k], ay + raw.regressors[r + 5 + 2 * k]]);
    out.push({
      x1: cx - w / 2,
      y1: cy - h / 2,
      x2: cx + w / 2,
      y2: cy + h / 2,
      score: sigmoid(logit),
      keypoints,
    });
  }
  return out;
}
