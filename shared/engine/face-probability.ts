// Face probability on CompreFace's scale: a monotonic map from the detector's raw BlazeFace score, so that
// det_prob_threshold behaves as CompreFace's (clients send 0.8-0.99; CompreFace scores a clear face about 0.999).
// One logistic in logit space: p = σ(slope · (logit(raw) − logit(anchorRaw)) + logit(anchorProbability)).

/** The map's constants; `fitFaceProbability` derives them from development scores. */
export interface FaceProbabilityMap {
  /** Visor's best raw threshold on the development sets; it maps to `anchorProbability`. */
  anchorRaw: number;
  /** CompreFace's usual det_prob_threshold (an NVR integration's default), Visor's default threshold too. */
  anchorProbability: number;
  slope: number;
}

/**
 * Fitted with `fitFaceProbability` on the accurate plan (pyramid, every candidate confirmed by facemesh) as of
 * 2026-12-06: raw 0.5 was the best threshold on ../shared/data/eval/detection-boxes, ../shared/data/eval/detection
 * and CompreFace's nose test (235/251 boxes and 46/46 noses, no false box; 0.3 adds 5 false boxes, 0.6 loses faces);
 * the lowest raw score of a face of persons A, B, C (005_A.jpg) is 0.801, mapped to 0.99 with margin (slope 2.5
 * puts it at 0.9924, the minimum slope for 0.99 is 2.30).
 */
export const FACE_PROBABILITY: FaceProbabilityMap = { anchorRaw: 0.5, anchorProbability: 0.8, slope: 2.5 };

const logit = (p: number): number => Math.log(p / (1 - p));
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** Raw detector score → probability on CompreFace's scale (0 and 1 stay 0 and 1). */
export function faceProbability(raw: number, m: FaceProbabilityMap = FACE_PROBABILITY): number {
  if (!(raw > 0)) return 0;
  if (raw >= 1) return 1;
  return sigmoid(m.slope * (logit(raw) - logit(m.anchorRaw)) + logit(m.anchorProbability));
}

/** The inverse: the raw score a probability threshold corresponds to (for det_prob_threshold comparisons). */
export function rawScoreFor(probability: number, m: FaceProbabilityMap = FACE_PROBABILITY): number {
  if (!(probability > 0)) return 0;
  if (probability >= 1) return 1;
  return sigmoid((logit(probability) - logit(m.anchorProbability)) / m.slope + logit(m.anchorRaw));
}

/** As CompreFace rounds probabilities in its responses: 5 decimals. */
export const roundProbability = (p: number): number => Math.round(p * 1e5) / 1e5;

/**
 * The map through (`bestRaw`, `anchorProbability`) whose slope is the smallest that lifts every clear face's raw
 * score (`clearFaces`, e.g. CompreFace's sample persons) to at least `clearProbability`, times `margin`.
 */
export function fitFaceProbability(opts: {
  bestRaw: number;
  anchorProbability: number;
  clearFaces: readonly number[];
  clearProbability: number;
  margin?: number;
}): FaceProbabilityMap {
  const lowest = Math.min(...opts.clearFaces);
  if (!(lowest > opts.bestRaw)) throw new RangeError('every clear face must score above the best threshold');
  const need =
    (logit(opts.clearProbability) - logit(opts.anchorProbability)) / (logit(lowest) - logit(opts.bestRaw));
  return {
    anchorRaw: opts.bestRaw,
    anchorProbability: opts.anchorProbability,
    slope: need * (opts.margin ?? 1),
  };
}
