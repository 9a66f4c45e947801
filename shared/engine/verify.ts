// Second-stage check of detector candidates: MediaPipe facemesh's face-presence output on the candidate's upright
// crop. On CompreFace's samples it scores every real face ≥ 0.99 and every false candidate ≤ 0.32, which lets the
// detector look harder (tiles, the accurate plan's pyramid) without reporting non-faces. Every candidate is checked:
// on the development sets the pyramid's false candidates include some the detector scores 0.82-0.84 (a coat, a
// hand), which facemesh scores ≤ 0.003. Its blind spot: faces behind surgical masks score low too (issue 14), which
// the engine's `rescue` takes back (mask-rescue.ts: facemesh still sees some face and the mask head says with_mask;
// quality-rescue.ts: a sure detector score, frontal keypoints and a long raw embedding).
import { orientedSquare } from './align.js';
import type { RawImage } from '../image.js';
import { inputDims, type ModelInfo } from './manifest.js';
import { inputProfile } from './profiles.js';
import { iou, type Candidate } from './nms.js';
import { warpToTensor, type TensorSpec } from './preprocess.js';
import type { ModelSession } from './session.js';

export class FaceVerifier {
  private readonly spec: TensorSpec;
  constructor(
    private readonly session: ModelSession,
    info: ModelInfo,
    /** Minimum face-presence probability. */
    readonly threshold = 0.5,
    /** The crop is the detector box enlarged this much (facemesh's training crops: 1.4). */
    private readonly scale = 1.4,
    /**
     * Candidates the detector scores at or above this are kept without the check (1 = check every one, the
     * default: with the accurate plan's pyramid, false candidates scoring 0.82-0.84 appear; issue 14).
     */
    readonly trustAbove = 1,
  ) {
    this.spec = inputProfile(info);
  }

  /** Face-presence probability of a candidate (its first two keypoints are the eyes). */
  async presence(image: RawImage, c: Candidate): Promise<number> {
    const [le, re] = c.keypoints;
    const angle = le && re ? Math.atan2(re[1] - le[1], re[0] - le[0]) : 0;
    const side = Math.max(c.x2 - c.x1, c.y2 - c.y1) * this.scale;
    const toImage = orientedSquare((c.x1 + c.x2) / 2, (c.y1 + c.y2) / 2, side, angle, this.spec.width);
    const data = warpToTensor(image, toImage, this.spec);
    const out = await this.session.run({
      [this.session.inputNames[0]]: { data, dims: inputDims(this.spec) },
    });
    return out.faceflag.data[0];
  }

  /** The candidates facemesh confirms, plus the rejected ones `rescue` (when given) keeps. */
  async filter(
    image: RawImage,
    candidates: readonly Candidate[],
    rescue?: (c: Candidate, presence: number) => Promise<boolean>,
  ): Promise<Candidate[]> {
    const kept: Candidate[] = [];
    for (const c of candidates) {
      if (c.score > this.trustAbove) kept.push(c);
      else {
        const presence = await this.presence(image, c);
        if (presence > this.threshold || (rescue && (await rescue(c, presence)))) kept.push(c);
      }
    }
    return kept;
  }
}

/**
 * One photo's check with its verdicts remembered by box: the accurate plan confirms each pyramid level's new
 * candidates with it, and the final check of the merged candidates takes the verdict of a checked box that overlaps
 * one by at least `sameIou` (the merged box of a face is the score-weighted mean of its views' boxes, so it differs
 * from the level's box by a pixel or two) instead of running facemesh again.
 */
export function rememberedCheck(
  verifier: FaceVerifier,
  image: RawImage,
  rescue?: (c: Candidate, presence: number) => Promise<boolean>,
  sameIou = 0.8,
): (candidates: readonly Candidate[]) => Promise<Candidate[]> {
  const verdicts: { box: Candidate; kept: boolean }[] = [];
  const verdict = (c: Candidate) => {
    let best: { iou: number; kept: boolean } | undefined;
    for (const v of verdicts) {
      const o = iou(v.box, c);
      if (o >= sameIou && (!best || o > best.iou)) best = { iou: o, kept: v.kept };
    }
    return best?.kept;
  };
  return async (candidates) => {
    const known = new Map(candidates.map((c) => [c, verdict(c)]));
    const unseen = candidates.filter((c) => known.get(c) === undefined);
    const kept = new Set(await verifier.filter(image, unseen, rescue));
    for (const c of unseen) {
      known.set(c, kept.has(c));
      verdicts.push({ box: c, kept: kept.has(c) });
    }
    return candidates.filter((c) => known.get(c));
  };
}
