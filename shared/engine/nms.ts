// Non-maximum suppression over scored boxes: greedy hard NMS and MediaPipe-style weighted (blending) NMS.
import type { Point } from './types.js';

/** A candidate face in some pixel space: corners, score and keypoints. */
export interface Candidate {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  score: number;
  keypoints: Point[];
  /** The score its own view gave it, when `score` was handed down from a coarser view (detector.ts inheritScores). */
  viewScore?: number;
}

export function area(b: Candidate): number {
  return Math.max(0, b.x2 - b.x1) * Math.max(0, b.y2 - b.y1);
}

export function iou(a: Candidate, b: Candidate): number {
  const w = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1);
  const h = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  return inter / (area(a) + area(b) - inter);
}

/** Greedy NMS: keeps the best box, drops every box overlapping it by more than `threshold`, repeats. */
export function hardNms(boxes: readonly Candidate[], threshold: number): Candidate[] {
  const sorted = [...boxes].sort((a, b) => b.score - a.score);
  const kept: Candidate[] = [];
  for (const b of sorted) if (kept.every((k) => iou(k, b) <= threshold)) kept.push(b);
  return kept;
}

/**
 * Weighted NMS: each kept box is the score-weighted mean (corners and keypoints) of the boxes overlapping the best
 * one by more than `threshold`; the score stays the best one's.
 */
export function weightedNms(boxes: readonly Candidate[], threshold: number): Candidate[] {
  let rest = [...boxes].sort((a, b) => b.score - a.score);
  const kept: Candidate[] = [];
  while (rest.length) {
    const best = rest[0];
    const group = rest.filter((b, i) => i === 0 || iou(best, b) > threshold);
    rest = rest.filter((b, i) => i > 0 && iou(best, b) <= threshold);
    const total = group.reduce((s, b) => s + b.score, 0);
    const avg = (f: (b: Candidate) => number) => group.reduce((s, b) => s + f(b) * b.score, 0) / total;
    kept.push({
      x1: avg((b) => b.x1),
      y1: avg((b) => b.y1),
      x2: avg((b) => b.x2),
      y2: avg((b) => b.y2),
      score: best.score,
      ...(best.viewScore === undefined ? {} : { viewScore: best.viewScore }),
      keypoints: best.keypoints.map(
        (_, k) => [avg((b) => b.keypoints[k][0]), avg((b) => b.keypoints[k][1])] as Point,
      ),
    });
  }
  return kept;
}

/**
 * Drops each box whose area lies more than `fraction` inside a better-scored box at least as big: the partial face
 * a tile sees of a face bigger than it, which overlaps the whole face's box too little (low IoU) for NMS to merge.
 */
export function suppressContained(boxes: readonly Candidate[], fraction: number): Candidate[] {
  const sorted = [...boxes].sort((a, b) => b.score - a.score);
  const kept: Candidate[] = [];
  for (const b of sorted) {
    const inside = kept.some((k) => {
      const w = Math.min(k.x2, b.x2) - Math.max(k.x1, b.x1);
      const h = Math.min(k.y2, b.y2) - Math.max(k.y1, b.y1);
      return w > 0 && h > 0 && area(k) >= area(b) && (w * h) / area(b) > fraction;
    });
    if (!inside) kept.push(b);
  }
  return kept;
}
