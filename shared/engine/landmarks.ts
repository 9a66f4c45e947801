// Landmark conventions: the 5 CompreFace points from 68-point (iBUG) landmarks, and dlib's canonical face chip.
import type { Point } from './types.js';

const mean = (pts: readonly Point[], from: number, to: number): Point => {
  let x = 0,
    y = 0;
  for (let i = from; i <= to; i++) {
    x += pts[i][0];
    y += pts[i][1];
  }
  const n = to - from + 1;
  return [x / n, y / n];
};

/**
 * Five points (left eye, right eye, nose, mouth left, mouth right) from 68 iBUG points. "Left" is the left of the
 * image, as CompreFace reports them: points 36-41 are the eye on the image's left, 42-47 the other.
 */
export function fivePointsFrom68(pts: readonly Point[]): Point[] {
  return [mean(pts, 36, 41), mean(pts, 42, 47), pts[30], pts[48], pts[54]];
}

/** dlib's mean face (points 17-67, unit square), from dlib's get_face_chip_details. */
// prettier-ignore
const DLIB_MEAN_X = [
  0.000213256, 0.0752622, 0.18113, 0.29077, 0.393397, 0.586856, 0.689483, 0.799124, 0.904991, 0.98004, 0.490127,
  0.490127, 0.490127, 0.490127, 0.36688, 0.426036, 0.490127, 0.554217, 0.613373, 0.121737, 0.187122, 0.265825,
  0.334606, 0.260918, 0.182743, 0.645647, 0.714428, 0.793132, 0.858516, 0.79751, 0.719335, 0.254149, 0.340985,
  0.428858, 0.490127, 0.551395, 0.639268, 0.726104, 0.642159, 0.556721, 0.490127, 0.423532, 0.338094, 0.290379,
  0.428096, 0.490127, 0.552157, 0.689874, 0.553364, 0.490127, 0.42689,
];
// prettier-ignore
const DLIB_MEAN_Y = [
  0.106454, 0.038915, 0.0187482, 0.0344891, 0.0773906, 0.0773906, 0.0344891, 0.0187482, 0.038915, 0.106454, 0.203352,
  0.307009, 0.409805, 0.515625, 0.587326, 0.609345, 0.628106, 0.609345, 0.587326, 0.216423, 0.178758, 0.179852,
  0.231733, 0.245099, 0.244077, 0.231733, 0.179852, 0.178758, 0.216423, 0.244077, 0.245099, 0.780233, 0.745405,
  0.727388, 0.742578, 0.727388, 0.745405, 0.780233, 0.864805, 0.902192, 0.909281, 0.902192, 0.864805, 0.784792,
  0.778746, 0.785343, 0.778746, 0.784792, 0.824182, 0.831803, 0.824182,
];

/** The 68-point indices dlib aligns on: nose, eyes, outer lips and upper inner lip (no brows, no lower lip). */
export const DLIB_ALIGN_INDICES: readonly number[] = Array.from({ length: 51 }, (_, k) => k + 17).filter(
  (i) => !(i <= 26 || (i >= 55 && i <= 59) || i >= 65),
);

/** Where dlib's chip of `size` pixels with `padding` (0.25 for its ResNet) puts each of DLIB_ALIGN_INDICES. */
export function dlibChipTemplate(size = 150, padding = 0.25): Point[] {
  return DLIB_ALIGN_INDICES.map((i) => [
    ((padding + DLIB_MEAN_X[i - 17]) / (2 * padding + 1)) * size,
    ((padding + DLIB_MEAN_Y[i - 17]) / (2 * padding + 1)) * size,
  ]);
}

/** dlib's chip positions of the five CompreFace points (eye centres, nose tip, mouth corners). */
export function dlibFivePointTemplate(size = 150, padding = 0.25): Point[] {
  const at = (xs: number[], ys: number[]): Point => [
    ((padding + xs.reduce((a, b) => a + b, 0) / xs.length) / (2 * padding + 1)) * size,
    ((padding + ys.reduce((a, b) => a + b, 0) / ys.length) / (2 * padding + 1)) * size,
  ];
  const pick = (from: number, to: number) => {
    const idx = Array.from({ length: to - from + 1 }, (_, k) => from + k - 17);
    return at(
      idx.map((i) => DLIB_MEAN_X[i]),
      idx.map((i) => DLIB_MEAN_Y[i]),
    );
  };
  return [pick(36, 41), pick(42, 47), pick(30, 30), pick(48, 48), pick(54, 54)];
}

/** A five-point template's eye centres, nose tip and mouth centre: the points a BlazeFace detector gives. */
export function keypointTemplate(five: readonly Point[]): Point[] {
  const [le, re, nose, ml, mr] = five;
  return [le, re, nose, [(ml[0] + mr[0]) / 2, (ml[1] + mr[1]) / 2]];
}

/**
 * Five points from BlazeFace keypoints (image-left eye, image-right eye, nose, mouth centre, …): mouth corners
 * are placed on the eye line's direction at dlib's mean mouth width, a fallback when no landmark model runs.
 */
export function fivePointsFromKeypoints(kp: readonly Point[]): Point[] {
  const [le, re, nose, mouth] = kp;
  const half = 0.446; // dlib mean face: mouth width / eye distance ≈ 0.89
  const dx = (re[0] - le[0]) * half;
  const dy = (re[1] - le[1]) * half;
  return [le, re, nose, [mouth[0] - dx, mouth[1] - dy], [mouth[0] + dx, mouth[1] + dy]];
}

/**
 * ArcFace's five-point template on its 112x112 crop (left eye, right eye, nose tip, mouth left, mouth right, image
 * left first), the alignment insightface's training sets and the embedders trained on them use; scaled to `size`.
 */
export function arcfaceFivePointTemplate(size = 112): Point[] {
  const s = size / 112;
  return [
    [38.2946, 51.6963],
    [73.5318, 51.5014],
    [56.0252, 71.7366],
    [41.5493, 92.3655],
    [70.7299, 92.2041],
  ].map(([x, y]) => [x * s, y * s]);
}
