// Mask-aware rescue of candidates facemesh rejects (issue 14). Facemesh's face-presence output scores faces behind
// surgical masks low (0.0002-0.42 on the development sets), so a rejected candidate is kept when facemesh still sees
// some face (presence ≥ minPresence) and the mask head (plugins/mask.ts), fed the candidate's own BlazeFace
// keypoints, says with_mask (≥ minMask). The mask head alone is not enough: off faces (coats, hands, backgrounds)
// it often says with_mask ≥ 0.9, but all such false candidates on the development sets have presence ≤ 0.063.
// Only candidates facemesh rejects pay (one embedding each, none when presence is below the floor).
import type { RawImage } from '../image.js';
import head from '../../models/mask/head.json';
import type { Affine } from './affine.js';
import { fivePointsFromKeypoints } from './landmarks.js';
import type { Candidate } from './nms.js';
import { applyHead, maskFeatures, regionFeatures, type MaskHead } from './plugins/mask.js';
import type { Point } from './types.js';

export interface MaskRescueSettings {
  /** Minimum facemesh face-presence probability of a rejected candidate. */
  minPresence: number;
  /** Minimum with_mask probability from the mask head. */
  minMask: number;
}

/**
 * Measured 2026-12-06 on ../shared/data/eval/detection-boxes, ../shared/data/eval/detection and CompreFace's
 * samples (accurate plan): masked faces rescued at presence 0.074-0.42 with with_mask 0.665-0.952; the highest
 * presence of a false candidate with with_mask ≥ 0.6 was 0.063.
 */
export const DEFAULT_MASK_RESCUE: MaskRescueSettings = { minPresence: 0.07, minMask: 0.6 };

/** What the rescue needs of the engine's embedder. */
export interface KeypointEmbedder {
  embed(image: RawImage, chip: Affine): Promise<Float32Array>;
  chipAffineFromKeypoints(kp: readonly Point[]): Affine;
}

/** The with_mask probability of a candidate from its BlazeFace keypoints (undefined without them). */
export async function maskProbability(
  image: RawImage,
  c: Candidate,
  embedder: KeypointEmbedder,
): Promise<number | undefined> {
  if (c.keypoints.length < 4) return undefined;
  const h = head as MaskHead;
  const embedding = await embedder.embed(image, embedder.chipAffineFromKeypoints(c.keypoints));
  const p = applyHead(
    h,
    maskFeatures(embedding, regionFeatures(image, fivePointsFromKeypoints(c.keypoints))),
  );
  return p[h.labels.indexOf('with_mask')];
}

/** The verifier's rescue callback for one image: keeps a rejected candidate that looks like a masked face. */
export function maskRescue(
  image: RawImage,
  embedder: KeypointEmbedder,
  s: MaskRescueSettings = DEFAULT_MASK_RESCUE,
): (c: Candidate, presence: number) => Promise<boolean> {
  return async (c, presence) => {
    if (presence < s.minPresence) return false;
    const p = await maskProbability(image, c, embedder);
    return p !== undefined && p >= s.minMask;
  };
}
