// Embedder-quality rescue of candidates facemesh rejects (issue 14): faces behind surgical masks or half hidden by a
// clapping hand score low on facemesh's face presence whatever the mask head says, yet the detector is confident,
// BlazeFace's keypoints lie where a frontal face's eyes, nose and mouth lie, and the embedder still sees a face: its
// raw embedding is long (a margin-trained embedder's feature norm grows with how recognisable a face is; MagFace and
// AdaFace read quality from it). The false candidates the detector scores as confidently (a painted owl, hands, a
// shirt, a sky) give short embeddings or a keypoint layout no face has. Only candidates that pass the score and the
// geometry pay (one embedding each), and only for an embedder whose norm floor was measured.
import type { RawImage } from '../image.js';
import type { Affine } from './affine.js';
import { FACE_PROBABILITY } from './face-probability.js';
import { maskRescue, type KeypointEmbedder } from './mask-rescue.js';
import type { Candidate } from './nms.js';
import type { Point } from './types.js';

/** Where BlazeFace's eyes, nose and mouth may lie for a frontal face; units in the doc of each field. */
export interface KeypointBounds {
  /** Eye distance as a fraction of the box width. */
  eyeRatio: [number, number];
  /** Nose and mouth below the eye line, in eye distances. */
  noseDown: [number, number];
  mouthDown: [number, number];
  /** Largest distance of the nose from the perpendicular through the eyes' midpoint, in eye distances. */
  noseSide: number;
}

export interface QualityRescueSettings {
  /**
   * Lowest raw detector score a candidate needs from its own view (not one inherited from a coarser view), whatever
   * det_prob_threshold the request gives.
   */
  minScore: number;
  bounds: KeypointBounds;
  /** Lowest raw embedding norm per embedder model id; an embedder without one rescues nothing. */
  minNorm: Readonly<Record<string, number>>;
}

/**
 * Bounds: the range of the 324 faces facemesh confirms on ../shared/data/eval/detection-boxes, detection and
 * CompreFace's samples (eyes 0.30-0.51 of the box width, nose 0.19-0.81 and mouth 0.81-1.38 eye distances below the
 * eyes, nose at most 0.81 to the side), widened a little. Score: Visor's default threshold (raw 0.5, probability 0.8).
 * Norm floor (faceplugin-recognition), measured 2026-12-06 on the same sets (accurate plan): confirmed faces
 * 1.99-5.0 (1 % below 2.05); the four faces facemesh rejects there with a raw score ≥ 0.5 and frontal keypoints
 * (three surgical masks, one face behind a hand) 1.99-2.84; the false candidates with a raw score ≥ 0.5 and frontal
 * keypoints 1.38-1.60. Below raw 0.5 false candidates reach 2.57 (hands, shirts, logos), hence the score floor.
 */
export const DEFAULT_QUALITY_RESCUE: QualityRescueSettings = {
  minScore: FACE_PROBABILITY.anchorRaw,
  bounds: { eyeRatio: [0.28, 0.6], noseDown: [0.15, 0.9], mouthDown: [0.75, 1.45], noseSide: 0.85 },
  minNorm: { 'faceplugin-recognition': 1.8 },
};

/** Whether a candidate's first four keypoints (image-left eye, image-right eye, nose, mouth) lie as a face's do. */
export function frontalKeypoints(c: Candidate, b: KeypointBounds): boolean {
  if (c.keypoints.length < 4) return false;
  const [le, re, nose, mouth] = c.keypoints;
  const eyes = Math.hypot(re[0] - le[0], re[1] - le[1]);
  const width = c.x2 - c.x1;
  if (!(eyes > 0 && width > 0)) return false;
  const mid: Point = [(le[0] + re[0]) / 2, (le[1] + re[1]) / 2];
  // u along the eyes (image left to right), v perpendicular to it, towards the mouth of an upright face
  const u: Point = [(re[0] - le[0]) / eyes, (re[1] - le[1]) / eyes];
  const v: Point = [-u[1], u[0]];
  const along = (p: Point, a: Point) => ((p[0] - mid[0]) * a[0] + (p[1] - mid[1]) * a[1]) / eyes;
  const within = (x: number, [lo, hi]: readonly [number, number]) => x >= lo && x <= hi;
  return (
    within(eyes / width, b.eyeRatio) &&
    within(along(nose, v), b.noseDown) &&
    within(along(mouth, v), b.mouthDown) &&
    Math.abs(along(nose, u)) <= b.noseSide
  );
}

/** What the rescue needs of the engine's embedder. */
export interface NormEmbedder {
  rawNorm(image: RawImage, chip: Affine): Promise<number>;
  chipAffineFromKeypoints(kp: readonly Point[]): Affine;
}

/**
 * The verifier's rescue callback for one image: keeps a rejected candidate the detector is sure of, whose keypoints
 * are a frontal face's and whose embedding is long enough. Undefined when `embedderId` has no measured floor.
 */
export function qualityRescue(
  image: RawImage,
  embedder: NormEmbedder,
  embedderId: string,
  s: QualityRescueSettings = DEFAULT_QUALITY_RESCUE,
): ((c: Candidate) => Promise<boolean>) | undefined {
  const floor = s.minNorm[embedderId];
  if (floor === undefined) return undefined;
  return async (c) =>
    (c.viewScore ?? c.score) >= s.minScore &&
    frontalKeypoints(c, s.bounds) &&
    (await embedder.rawNorm(image, embedder.chipAffineFromKeypoints(c.keypoints))) >= floor;
}

/**
 * What keeps a candidate facemesh rejects (the verifier's rescue for one image): the mask rescue (mask-rescue.ts),
 * else (`withQuality`) the embedder-quality rescue, both with the engine's own embedder (`embedderId`, whose floors
 * they know). The quality rescue's score floor is on the engine's own detector views: faces located elsewhere (the
 * kiosk's scan) go without it.
 */
export function candidateRescue(
  image: RawImage,
  embedder: KeypointEmbedder & NormEmbedder,
  embedderId: string,
  withQuality = true,
): (c: Candidate, presence: number) => Promise<boolean> {
  const mask = maskRescue(image, embedder);
  const quality = withQuality ? qualityRescue(image, embedder, embedderId) : undefined;
  return async (c, presence) => (await mask(c, presence)) || (quality !== undefined && (await quality(c)));
}
