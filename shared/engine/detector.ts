// Face detection with a BlazeFace-family model over planned views; candidates in original-image pixels.
import { applyAffine, affineScale } from './affine.js';
import { blazeFaceAnchors, decodeBlazeFace, type AnchorConfig, type BlazeFaceRaw } from './blazeface.js';
import { inputDims, tensorSpec, type ModelInfo } from './manifest.js';
import { weightedNms, type Candidate } from './nms.js';
import type { RawImage } from '../image.js';
import {
  cropToTensor,
  resampleImage,
  shrink,
  warpToTensor,
  type ResampledImage,
  type TensorSpec,
} from './preprocess.js';
import type { Point } from './types.js';
import type { ModelSession, Tensor } from './session.js';
import { planViews, DEFAULT_VIEW_PLAN, type View, type ViewPlan } from './views.js';

export interface DetectorSettings {
  /** Default probability threshold (CompreFace's det_prob_threshold when the caller gives none). */
  threshold: number;
  /** IoU above which overlapping candidates merge. */
  nmsIou: number;
  plan: ViewPlan;
}

export const DEFAULT_DETECTOR_SETTINGS: DetectorSettings = {
  threshold: 0.5,
  nmsIou: 0.3,
  plan: DEFAULT_VIEW_PLAN,
};

/** Reads the anchor layout and output layout of a BlazeFace-family model from its manifest entry. */
export function blazeFaceLayout(info: ModelInfo): {
  spec: TensorSpec;
  anchors: Float32Array;
  split: (out: Record<string, Tensor>) => BlazeFaceRaw;
} {
  const spec = tensorSpec(info);
  const extra = (info.extra ?? {}) as { anchors?: Partial<AnchorConfig>; keypoints?: number };
  const cfg: AnchorConfig = {
    inputSize: spec.width,
    strides: extra.anchors?.strides ?? [spec.width / 16, spec.width / 8],
    anchorsPerCell: extra.anchors?.anchorsPerCell ?? [2, 6],
  };
  const anchors = blazeFaceAnchors(cfg);
  const keypoints = extra.keypoints ?? 6;
  const split = (out: Record<string, Tensor>): BlazeFaceRaw => {
    const ts = info.outputs.map((o) => out[o.name]).filter(Boolean);
    const last = (t: Tensor) => t.dims[t.dims.length - 1];
    if (ts.length === 1) {
      // one [1, N, 1 + 4 + 2k] tensor: logit first (human's BlazeFace)
      const t = ts[0];
      return {
        regressors: t.data,
        regStride: last(t),
        regOffset: 1,
        logits: t.data,
        logitStride: last(t),
        logitOffset: 0,
        keypoints,
      };
    }
    const reg = ts.find((t) => last(t) > 1)!;
    const cls = ts.find((t) => last(t) === 1)!;
    return {
      regressors: reg.data,
      regStride: last(reg),
      regOffset: 0,
      logits: cls.data,
      logitStride: 1,
      logitOffset: 0,
      keypoints,
    };
  };
  return { spec, anchors, split };
}

const isWhole = (v: number) => Math.abs(v - Math.round(v)) < 1e-6;

function touchesInnerEdge(c: Candidate, v: View, margin: number): boolean {
  const [l, t, r, b] = v.innerEdges;
  return (
    (l && c.x1 < v.rect[0] + margin) ||
    (t && c.y1 < v.rect[1] + margin) ||
    (r && c.x2 > v.rect[2] - margin) ||
    (b && c.y2 > v.rect[3] - margin)
  );
}

export class BlazeFaceDetector {
  private readonly layout: ReturnType<typeof blazeFaceLayout>;
  constructor(
    private readonly session: ModelSession,
    info: ModelInfo,
    readonly settings: DetectorSettings = DEFAULT_DETECTOR_SETTINGS,
  ) {
    this.layout = blazeFaceLayout(info);
  }

  /** Every face over `minScore`, merged across views, in image pixels, best first. */
  async detect(full: RawImage, minScore: number): Promise<Candidate[]> {
    const { spec, anchors, split } = this.layout;
    const plan = { ...this.settings.plan, inputSize: spec.width };
    // Big photos are box-shrunk once so that the whole-image view samples 2-4 source pixels per input pixel and a
    // tile 1-2: the views see the same regions at the same 256 px, for a fraction of the sampling work.
    const factor = Math.max(1, Math.floor(Math.max(full.width, full.height) / (2 * spec.width)));
    const image = factor > 1 ? shrink(full, factor) : full;
    const all: Candidate[] = [];
    let tiles: ResampledImage | undefined;
    const views = planViews(image.width, image.height, plan);
    for (const view of views) {
      const [s, , x, , , y] = view.toImage;
      const [col, row] = [x / s, y / s];
      // tiles (every view but the whole image) whose origin lies on their pixel grid: cropped from one resample
      const onGrid = view !== views[0] && col >= 0 && row >= 0 && isWhole(col) && isWhole(row);
      if (onGrid && tiles?.scale !== s) tiles = resampleImage(image, s);
      const data = onGrid
        ? cropToTensor(tiles!, Math.round(col), Math.round(row), spec)
        : warpToTensor(image, view.toImage, spec);
      const out = await this.session.run({ [this.session.inputNames[0]]: { data, dims: inputDims(spec) } });
      const scale = affineScale(view.toImage);
      for (const c of decodeBlazeFace(split(out), anchors, minScore)) {
        const [x1, y1] = applyAffine(view.toImage, [c.x1, c.y1]);
        const [x2, y2] = applyAffine(view.toImage, [c.x2, c.y2]);
        const mapped = {
          x1,
          y1,
          x2,
          y2,
          score: c.score,
          keypoints: c.keypoints.map((p) => applyAffine(view.toImage, p)),
        };
        if (!touchesInnerEdge(mapped, view, 2 * scale)) all.push(mapped);
      }
    }
    const merged = weightedNms(all, this.settings.nmsIou);
    if (factor === 1) return merged;
    const up = (p: Point): Point => [p[0] * factor, p[1] * factor];
    return merged.map((c) => ({
      ...c,
      x1: c.x1 * factor,
      y1: c.y1 * factor,
      x2: c.x2 * factor,
      y2: c.y2 * factor,
      keypoints: c.keypoints.map(up),
    }));
  }
}
