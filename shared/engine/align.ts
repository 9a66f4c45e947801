// Face geometry models: 68-point landmarks on an upright square crop, and embedding of a landmark-aligned chip.
import { applyAffine, similarityTransform, type Affine } from './affine.js';
import { DLIB_ALIGN_INDICES, dlibChipTemplate, fivePointsFrom68, keypointTemplate } from './landmarks.js';
import { inputDims, type ModelInfo } from './manifest.js';
import { embedderGeometry, inputProfile } from './profiles.js';
import type { RawImage } from '../image.js';
import { mirrorTensor, warpToTensor, type TensorSpec } from './preprocess.js';
import type { ModelSession } from './session.js';
import { l2normalize } from './similarity.js';
import type { Point } from './types.js';

/** Output-to-image map of a `size`-pixel square of `side` image pixels centred on (cx, cy), rotated by `angle`. */
export function orientedSquare(cx: number, cy: number, side: number, angle: number, size: number): Affine {
  const s = side / size;
  const cos = Math.cos(angle) * s;
  const sin = Math.sin(angle) * s;
  const h = size / 2;
  return [cos, -sin, cx - cos * h + sin * h, sin, cos, cy - sin * h - cos * h];
}

/** Mirrors a `size`-wide output grid before `m`: output x reads what `m` maps from size - x. */
export function mirrored(m: Affine, size: number): Affine {
  return [-m[0], m[1], m[0] * size + m[2], -m[3], m[4], m[3] * size + m[5]];
}

export interface FaceRegion {
  cx: number;
  cy: number;
  side: number;
  /** Roll of the eye line in radians (image left eye to right eye). */
  angle: number;
}

/** A square region from points: their bounding box centre, `scale` times the larger extent, the eyes' roll. */
export function regionFromPoints(
  pts: readonly Point[],
  leftEye: Point,
  rightEye: Point,
  scale: number,
): FaceRegion {
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  const [x1, x2, y1, y2] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  return {
    cx: (x1 + x2) / 2,
    cy: (y1 + y2) / 2,
    side: Math.max(x2 - x1, y2 - y1) * scale,
    angle: Math.atan2(rightEye[1] - leftEye[1], rightEye[0] - leftEye[0]),
  };
}

export class Landmarker68 {
  private readonly spec: TensorSpec;
  constructor(
    private readonly session: ModelSession,
    info: ModelInfo,
  ) {
    this.spec = inputProfile(info);
  }

  /** 68 iBUG points in image pixels for the face in `region` (outputs are x,y pairs in 0..1 of the crop). */
  async run(image: RawImage, region: FaceRegion): Promise<Point[]> {
    const size = this.spec.width;
    const toImage = orientedSquare(region.cx, region.cy, region.side, region.angle, size);
    const data = warpToTensor(image, toImage, this.spec);
    const out = await this.session.run({
      [this.session.inputNames[0]]: { data, dims: inputDims(this.spec) },
    });
    const raw = out[this.session.outputNames[0]].data;
    const pts: Point[] = [];
    for (let i = 0; i < 68; i++) pts.push(applyAffine(toImage, [raw[2 * i] * size, raw[2 * i + 1] * size]));
    return pts;
  }
}

export class ChipEmbedder {
  readonly spec: TensorSpec;
  /** 'dlib': dlib's chip from 51 of the 68 points; 'five-point': onto the profile's template (ArcFace's 112 px crop). */
  readonly alignment: 'dlib' | 'five-point';
  /** Whether each embedding is averaged with its mirror image's (the model's manifest default unless configured). */
  readonly mirror: boolean;
  private readonly fixedBatch: boolean;
  private readonly template: Point[];
  private readonly keypointTemplate: Point[];
  constructor(
    private readonly session: ModelSession,
    info: ModelInfo,
    mirror?: boolean,
  ) {
    const g = embedderGeometry(info);
    this.spec = g.input;
    this.mirror = mirror ?? g.mirror;
    this.fixedBatch = g.input.fixedBatch;
    this.alignment = g.alignment;
    this.template = g.alignment === 'five-point' ? g.template : dlibChipTemplate(g.chipSize, g.chipPadding);
    this.keypointTemplate = keypointTemplate(g.template);
  }

  /** Chip-to-image map from detector keypoints (eyes, nose, mouth centre) when no landmark model ran. */
  chipAffineFromKeypoints(kp: readonly Point[]): Affine {
    return similarityTransform(this.keypointTemplate, kp.slice(0, 4));
  }

  /** Chip-to-image map from the 68 landmarks (least-squares similarity onto the embedder's template). */
  chipAffine(pts68: readonly Point[]): Affine {
    const pts =
      this.alignment === 'five-point' ? fivePointsFrom68(pts68) : DLIB_ALIGN_INDICES.map((i) => pts68[i]);
    return similarityTransform(this.template, pts);
  }

  /**
   * L2 norm of the chip's raw (un-normalised) embedding, without the mirror pass: the embedder's own face-quality
   * signal (a margin-trained embedder gives recognisable faces long feature vectors and non-faces short ones, as
   * MagFace and AdaFace use it). Its scale is the model's own.
   */
  async rawNorm(image: RawImage, chip: Affine): Promise<number> {
    const data = warpToTensor(image, chip, this.spec);
    const out = await this.session.run({
      [this.session.inputNames[0]]: { data, dims: inputDims(this.spec, 1) },
    });
    const emb = out[this.session.outputNames[0]].data;
    let sum = 0;
    for (const x of emb) sum += x * x;
    return Math.sqrt(sum);
  }

  /** L2-normalised embedding of the aligned chip (mean with its mirror image when enabled). */
  async embed(image: RawImage, chip: Affine): Promise<Float32Array> {
    const n = this.spec.width * this.spec.height * 3;
    const batch = this.mirror ? 2 : 1;
    const data = new Float32Array(n * batch);
    warpToTensor(image, chip, this.spec, data, 0);
    if (this.mirror) mirrorTensor(data, this.spec, 0, n);
    const outputs: Float32Array[] = [];
    // A model exported with a fixed batch of one runs once per chip; others take both chips in one batch.
    const perRun = this.fixedBatch ? 1 : batch;
    for (let b = 0; b < batch; b += perRun) {
      const out = await this.session.run({
        [this.session.inputNames[0]]: {
          data: data.subarray(b * n, (b + perRun) * n),
          dims: inputDims(this.spec, perRun),
        },
      });
      const emb = out[this.session.outputNames[0]].data;
      const size = emb.length / perRun;
      for (let k = 0; k < perRun; k++) outputs.push(emb.subarray(k * size, (k + 1) * size));
    }
    const sum = new Float32Array(outputs[0].length);
    for (const one of outputs.map((o) => l2normalize(o)))
      for (let i = 0; i < sum.length; i++) sum[i] += one[i];
    return l2normalize(sum);
  }
}
