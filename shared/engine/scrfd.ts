// InsightFace SCRFD detector maths (insightface python-package model_zoo/scrfd.py): anchor centres per stride, and
// decoding of the per-stride scores, box distances and keypoint offsets into scored candidates in input pixels.
import type { Candidate } from './nms.js';
import type { Point } from './types.js';

/**
 * Anchor centres of one stride, interleaved x,y, in the order SCRFD emits them: row, column, then `perCell` copies.
 * SCRFD's centres are the cells' top-left corners (`mgrid * stride`), not their middles.
 */
export function scrfdAnchors(
  inputWidth: number,
  inputHeight: number,
  stride: number,
  perCell: number,
): Float32Array {
  const cols = Math.floor(inputWidth / stride);
  const rows = Math.floor(inputHeight / stride);
  const out = new Float32Array(rows * cols * perCell * 2);
  let i = 0;
  for (let y = 0; y < rows; y++)
    for (let x = 0; x < cols; x++)
      for (let a = 0; a < perCell; a++) {
        out[i++] = x * stride;
        out[i++] = y * stride;
      }
  return out;
}

/** One stride's raw outputs: scores [N] (probabilities), bboxes [N,4] and kps [N,10] in strides. */
export interface ScrfdLevel {
  stride: number;
  anchors: Float32Array;
  scores: Float32Array;
  bboxes: Float32Array;
  kps?: Float32Array;
}

/**
 * distance2bbox and distance2kps over every anchor scoring at least `minScore`: box = centre − (l, t), centre + (r, b);
 * keypoint k = centre + (dx_k, dy_k), distances times the stride. Keypoints: left eye, right eye, nose, mouth left,
 * mouth right (image left first), then the mouth centre appended as BlazeFace's fourth point is (the engine aligns
 * on eyes, nose and mouth centre when no landmark model runs), i.e. [le, re, nose, mouth centre, mouth left, mouth right].
 */
export function decodeScrfd(levels: readonly ScrfdLevel[], minScore: number): Candidate[] {
  const out: Candidate[] = [];
  for (const { stride, anchors, scores, bboxes, kps } of levels) {
    const n = anchors.length / 2;
    if (scores.length < n || bboxes.length < 4 * n || (kps && kps.length < 10 * n))
      throw new RangeError(`SCRFD stride ${stride}: outputs shorter than its ${n} anchors`);
    for (let i = 0; i < n; i++) {
      const score = scores[i];
      if (!(score >= minScore)) continue;
      const cx = anchors[2 * i];
      const cy = anchors[2 * i + 1];
      const b = 4 * i;
      const keypoints: Point[] = [];
      if (kps) {
        const five: Point[] = [];
        for (let k = 0; k < 5; k++)
          five.push([cx + kps[10 * i + 2 * k] * stride, cy + kps[10 * i + 2 * k + 1] * stride]);
        const [le, re, nose, ml, mr] = five;
        keypoints.push(le, re, nose, [(ml[0] + mr[0]) / 2, (ml[1] + mr[1]) / 2], ml, mr);
      }
      out.push({
        x1: cx - bboxes[b] * stride,
        y1: cy - bboxes[b + 1] * stride,
        x2: cx + bboxes[b + 2] * stride,
        y2: cy + bboxes[b + 3] * stride,
        score,
        keypoints,
      });
    }
  }
  return out;
}
