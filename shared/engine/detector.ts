// Face detection with a BlazeFace-family or SCRFD model (its profile says which) over planned views; candidates in
// original-image pixels.
import { applyAffine, affineScale } from './affine.js';
import { blazeFaceAnchors, decodeBlazeFace, type BlazeFaceRaw } from './blazeface.js';
import { FACE_PROBABILITY } from './face-probability.js';
import { inputDims, type ModelInfo } from './manifest.js';
import {
  detectorProfile,
  type BlazeFaceProfile,
  type DetectorProfile,
  type ScrfdProfile,
} from './profiles.js';
import { decodeScrfd, scrfdAnchors } from './scrfd.js';
import { iou, suppressContained, weightedNms, type Candidate } from './nms.js';
import type { RawImage } from '../image.js';
import {
  cropToTensor,
  resampleImage,
  shrink,
  warpToTensor,
  type ResampledImage,
  type TensorSpec,
} from './preprocess.js';
import type { DetectMode } from './types.js';
import type { ModelSession, Tensor } from './session.js';
import { planViews, tileViews, wholeView, DEFAULT_VIEW_PLAN, type View, type ViewPlan } from './views.js';

export interface DetectorSettings {
  /**
   * Default probability threshold on CompreFace's scale (det_prob_threshold when the caller gives none); the
   * detector compares raw scores with its inverse (face-probability.ts).
   */
  threshold: number;
  /** IoU above which overlapping candidates merge. */
  nmsIou: number;
  /** A box more than this fraction inside a better, bigger one is a partial duplicate (nms.ts suppressContained). */
  containment: number;
  /** The fast plan (detect_mode=fast): the whole image, tiles only on big photos. */
  plan: ViewPlan;
  /** The accurate plan (detect_mode=accurate, the default): an image pyramid of tiles sized by the faces found. */
  pyramid: PyramidPlan;
}

/**
 * The accurate plan: the whole image, then levels of overlapping tiles, each half the previous one's side, for as
 * long as the previous level could still have missed a face the photo may hold: one smaller than `minInputFace`
 * detector pixels there, but at least `minFace` image pixels and `relative` times the smallest face found so far.
 * Adaptive: only confirmed faces (the engine's face-mesh check) size the search, and once faces are known a level
 * that confirms no new one ends it: a one-face photo stops one level below the level that found its face, a crowd
 * goes on while each level finds more, down to tiles of one image pixel per detector pixel.
 */
export interface PyramidPlan {
  /** Smallest face side, in detector-input pixels, the model finds reliably. */
  minInputFace: number;
  /** Smallest face side searched for, in image pixels, and as a fraction of the photo's long side (the larger). */
  minFace: number;
  minFaceFraction: number;
  /** Faces down to this fraction of the smallest face already found are searched for. */
  relative: number;
  /** Candidates at or above this score count as found faces when sizing the next level. */
  foundScore: number;
  /** Overlap between neighbouring tiles. */
  overlap: number;
  /**
   * Only confirmed faces size the search, and once faces are known a level that confirms no new one ends it
   * (false: the plan before issue 14's second step: every candidate over `foundScore` sizes it, every level runs).
   */
  adaptive: boolean;
  /**
   * Views report candidates down to this fraction of the threshold; one that does not inherit a score at or above
   * the threshold from a coarser view of the same face (inheritScores) is dropped before merging.
   */
  inheritFloor: number;
}

/** Which of a level's candidates are faces (the engine's face-mesh check); without one every candidate counts. */
export type ConfirmFaces = (candidates: Candidate[]) => Promise<Candidate[]>;

export const DEFAULT_PYRAMID_PLAN: PyramidPlan = {
  minInputFace: 24,
  minFace: 20,
  minFaceFraction: 1 / 80,
  relative: 0.4,
  foundScore: 0.5,
  overlap: 0.25,
  adaptive: true,
  inheritFloor: 0.5,
};

export const DEFAULT_DETECTOR_SETTINGS: DetectorSettings = {
  threshold: FACE_PROBABILITY.anchorProbability,
  nmsIou: 0.3,
  containment: 0.6,
  plan: DEFAULT_VIEW_PLAN,
  pyramid: DEFAULT_PYRAMID_PLAN,
};

/** The anchor layout and output layout of a BlazeFace-family model from its manifest entry. */
export function blazeFaceLayout(info: ModelInfo): {
  spec: TensorSpec;
  anchors: Float32Array;
  split: (out: Record<string, Tensor>) => BlazeFaceRaw;
} {
  const profile = detectorProfile(info.id ?? info.file, info);
  if (profile.format !== 'blazeface') throw new RangeError(`model ${profile.id} is not a BlazeFace detector`);
  return blazeFaceProfileLayout(profile);
}

function blazeFaceProfileLayout(profile: BlazeFaceProfile): ReturnType<typeof blazeFaceLayout> {
  const spec = profile.input;
  const anchors = blazeFaceAnchors(profile.anchors);
  const keypoints = profile.keypoints;
  const outputNames = profile.outputNames;
  const split = (out: Record<string, Tensor>): BlazeFaceRaw => {
    const ts = outputNames.map((name) => out[name]).filter(Boolean);
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

/** A detector's input spec and its decoding of one run's outputs into candidates in input pixels. */
export interface DetectorDecoder {
  spec: TensorSpec;
  decode(out: Record<string, Tensor>, minScore: number): Candidate[];
}

function scrfdDecoder(profile: ScrfdProfile): DetectorDecoder {
  const { width, height } = profile.input;
  const anchors = profile.strides.map((s) => scrfdAnchors(width, height, s, profile.anchorsPerCell));
  const { scores, bboxes, kps } = profile.outputs;
  return {
    spec: profile.input,
    decode: (out, minScore) =>
      decodeScrfd(
        profile.strides.map((stride, i) => ({
          stride,
          anchors: anchors[i],
          scores: out[scores[i]].data,
          bboxes: out[bboxes[i]].data,
          ...(kps[i] ? { kps: out[kps[i]].data } : {}),
        })),
        minScore,
      ),
  };
}

/** The decoder for a detector profile (BlazeFace anchors and regressors, or SCRFD's strides). */
export function detectorDecoder(profile: DetectorProfile): DetectorDecoder {
  if (profile.format === 'scrfd') return scrfdDecoder(profile);
  const { spec, anchors, split } = blazeFaceProfileLayout(profile);
  return { spec, decode: (out, minScore) => decodeBlazeFace(split(out), anchors, minScore) };
}

/**
 * Tile sides of the accurate plan's levels below the whole-image view: each half the previous one (at most the
 * short side, at least one detector input), down to one image pixel per detector pixel.
 */
export function pyramidSides(width: number, height: number, input: number): number[] {
  const short = Math.min(width, height);
  const sides: number[] = [];
  let previous = Math.max(width, height);
  for (let side = previous; side > input;) {
    side = Math.max(input, Math.ceil(side / 2));
    const tile = Math.min(side, short);
    if (tile < previous) sides.push((previous = tile));
  }
  return sides;
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

/**
 * Views are planned in the photo's own pixels; each is sampled from the photo box-shrunk by a whole factor that
 * leaves it 2-4 source pixels per detector pixel (the same regions, for a fraction of the sampling work). The
 * shrunk copies and one resample per tile scale are kept for the whole photo.
 */
class ViewSampler {
  private readonly shrunk = new Map<number, RawImage>();
  private readonly resampled = new Map<string, ResampledImage>();
  constructor(
    private readonly full: RawImage,
    private readonly spec: TensorSpec,
  ) {}

  tensor(view: View, isTile: boolean): Float32Array {
    const s = affineScale(view.toImage);
    const factor = Math.max(1, Math.floor(s / 2));
    let image = this.shrunk.get(factor);
    if (!image) this.shrunk.set(factor, (image = factor > 1 ? shrink(this.full, factor) : this.full));
    const [a, b, x, d, e, y] = view.toImage;
    const local = [a / factor, b, x / factor, d, e / factor, y / factor] as const;
    const scale = local[0];
    const [col, row] = [local[2] / scale, local[5] / scale];
    // tiles whose origin lies on their pixel grid: cropped from one resample of the shrunk photo at their scale
    if (isTile && col >= 0 && row >= 0 && isWhole(col) && isWhole(row)) {
      const key = `${factor}:${scale}`;
      let tiles = this.resampled.get(key);
      if (!tiles) this.resampled.set(key, (tiles = resampleImage(image, scale)));
      return cropToTensor(tiles, Math.round(col), Math.round(row), this.spec);
    }
    return warpToTensor(image, local, this.spec);
  }
}

/**
 * A small face's coarse-view candidate is dropped for the finer views' boxes (they place it better), but the coarse
 * view may have been the surer one: each dropped candidate hands its score to the kept candidate it overlaps most
 * (IoU above `minIou`) when that one scored lower, which keeps its own as `viewScore`.
 */
export function inheritScores(
  kept: readonly Candidate[],
  dropped: readonly Candidate[],
  minIou: number,
): Candidate[] {
  const out = [...kept];
  for (const d of dropped) {
    let best = -1;
    let bestIou = minIou;
    out.forEach((c, i) => {
      const o = iou(d, c);
      if (o > bestIou) [best, bestIou] = [i, o];
    });
    const c = out[best];
    if (c && d.score > c.score) out[best] = { ...c, score: d.score, viewScore: c.viewScore ?? c.score };
  }
  return out;
}

/** Runs any detector profile (BlazeFace-family or SCRFD; the name is the first one's) over the planned views. */
export class BlazeFaceDetector {
  private readonly layout: DetectorDecoder;
  constructor(
    private readonly session: ModelSession,
    info: ModelInfo,
    readonly settings: DetectorSettings = DEFAULT_DETECTOR_SETTINGS,
  ) {
    this.layout = detectorDecoder(detectorProfile(info.id ?? info.file, info));
  }

  /**
   * Every face over `minScore`, merged across views, in image pixels, best first. `confirm` tells the accurate
   * plan which candidates are faces when it sizes its pyramid; the caller still checks what this returns.
   */
  async detect(
    full: RawImage,
    minScore: number,
    mode: DetectMode = 'accurate',
    confirm?: ConfirmFaces,
  ): Promise<Candidate[]> {
    const { spec } = this.layout;
    const sampler = new ViewSampler(full, spec);
    // every candidate with the scale (image pixels per detector pixel) of the view that found it
    const all = new Map<Candidate, number>();
    // the accurate plan's views report weaker candidates too: a coarser view's surer score may be handed to them
    const lookScore = mode === 'fast' ? minScore : minScore * this.settings.pyramid.inheritFloor;
    const look = async (views: readonly View[], isTile: boolean) => {
      const found: Candidate[] = [];
      for (const view of views) {
        const scale = affineScale(view.toImage);
        for (const c of await this.runView(sampler, view, isTile, lookScore)) {
          found.push(c);
          all.set(c, scale);
        }
      }
      return found;
    };
    if (mode === 'fast') {
      const [whole, ...tiles] = planViews(full.width, full.height, {
        ...this.settings.plan,
        inputSize: spec.width,
      });
      await look([whole], false);
      await look(tiles, true);
      return this.merge([...all.keys()]);
    }
    await this.pyramid(full, look, confirm);
    // Faces smaller than minInputFace detector pixels come out of a coarse view displaced and mis-sized (boxes on
    // collars, between heads): once a finer level has looked at the same place, only its boxes count.
    const finest = Math.min(...all.values());
    const minInput = this.settings.pyramid.minInputFace;
    const isKept = ([c, scale]: [Candidate, number]) =>
      scale <= finest * 1.001 || (c.x2 - c.x1) / scale >= minInput;
    const kept = [...all].filter(isKept).map(([c]) => c);
    const dropped = [...all].filter((e) => !isKept(e)).map(([c]) => c);
    return this.merge(inheritScores(kept, dropped, this.settings.nmsIou).filter((c) => c.score >= minScore));
  }

  private merge(candidates: Candidate[]): Candidate[] {
    return suppressContained(weightedNms(candidates, this.settings.nmsIou), this.settings.containment);
  }

  private async pyramid(
    full: RawImage,
    look: (views: readonly View[], isTile: boolean) => Promise<Candidate[]>,
    confirmFaces?: ConfirmFaces,
  ): Promise<void> {
    const p = this.settings.pyramid;
    const confirm: ConfirmFaces = confirmFaces ?? (async (c) => c);
    const input = this.layout.spec.width;
    const { width, height } = full;
    // confirmed faces so far; a level's candidates whose centre lies in one of them are not new
    const faces: Candidate[] = [];
    const inFace = (c: Candidate) => {
      const [x, y] = [(c.x1 + c.x2) / 2, (c.y1 + c.y2) / 2];
      return faces.some((f) => x >= f.x1 && x <= f.x2 && y >= f.y1 && y <= f.y2);
    };
    const note = async (found: Candidate[]): Promise<number> => {
      const strong = found.filter((c) => c.score >= p.foundScore);
      if (!p.adaptive) {
        faces.push(...strong);
        return strong.length;
      }
      const fresh = await confirm(weightedNms(strong, this.settings.nmsIou).filter((c) => !inFace(c)));
      faces.push(...fresh);
      return fresh.length;
    };
    let scale = Math.max(width, height) / input;
    await note(await look([wholeView(width, height, input)], false));
    for (const side of pyramidSides(width, height, input)) {
      // the last level (`scale` image pixels per detector pixel) found faces down to minInputFace·scale
      const floor = Math.max(p.minFace, p.minFaceFraction * Math.max(width, height));
      const smallest = Math.min(...faces.map((c) => Math.max(c.x2 - c.x1, c.y2 - c.y1)));
      const target = faces.length ? Math.max(floor, p.relative * smallest) : floor;
      if (p.minInputFace * scale <= target) return;
      scale = side / input;
      const known = faces.length;
      const added = await note(await look(tileViews(width, height, side, p.overlap, input), true));
      if (p.adaptive && known > 0 && added === 0) return;
    }
  }

  /** Each view's candidates in image pixels (what every plan runs per view; tests check the mapping with it). */
  async detectViews(image: RawImage, views: readonly View[], minScore: number): Promise<Candidate[][]> {
    const sampler = new ViewSampler(image, this.layout.spec);
    const out: Candidate[][] = [];
    for (const view of views)
      out.push(await this.runView(sampler, view, view.innerEdges.some(Boolean), minScore));
    return out;
  }

  private async runView(
    sampler: ViewSampler,
    view: View,
    isTile: boolean,
    minScore: number,
  ): Promise<Candidate[]> {
    const { spec, decode } = this.layout;
    const data = sampler.tensor(view, isTile);
    const out = await this.session.run({ [this.session.inputNames[0]]: { data, dims: inputDims(spec) } });
    const scale = affineScale(view.toImage);
    const kept: Candidate[] = [];
    for (const c of decode(out, minScore)) {
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
      if (!touchesInnerEdge(mapped, view, 2 * scale)) kept.push(mapped);
    }
    return kept;
  }
}
