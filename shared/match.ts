// One notion of a match for every client (Test page, kiosk, collection manager): a similarity names a subject
// when it reaches the service's min_similarity, or the calibrated equal-error point when the service sets none.

/** Similarity at the embedder's equal-error point on LFW (shared/engine/similarity.ts calibration). */
export const CALIBRATED_THRESHOLD = 0.5;

/** The threshold in force: the service's `min_similarity` when set above 0, else CALIBRATED_THRESHOLD. */
export function matchThreshold(minSimilarity?: number | null): number {
  return typeof minSimilarity === 'number' && minSimilarity > 0 && minSimilarity <= 1
    ? minSimilarity
    : CALIBRATED_THRESHOLD;
}

/** True when `similarity` is a match at `threshold` (the threshold itself counts, as the server's filter). */
export const isMatch = (similarity: number, threshold: number): boolean => similarity >= threshold;
