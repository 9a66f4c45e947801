// Pure pipeline maths against reference values: affine/similarity, anchors, decoding, NMS, calibration, sampling.
import { describe, expect, it } from 'vitest';
import { applyAffine, invertAffine, similarityTransform, type Affine } from '../../shared/engine/affine.js';
import { mirrored, orientedSquare } from '../../shared/engine/align.js';
import { blazeFaceAnchors, decodeBlazeFace } from '../../shared/engine/blazeface.js';
import {
  DLIB_ALIGN_INDICES,
  dlibChipTemplate,
  dlibFivePointTemplate,
  fivePointsFrom68,
} from '../../shared/engine/landmarks.js';
import { hardNms, iou, weightedNms, type Candidate } from '../../shared/engine/nms.js';
import {
  cropToTensor,
  mirrorTensor,
  resampleImage,
  shrink,
  warpToTensor,
  type TensorSpec,
} from '../../shared/engine/preprocess.js';
import { calibratedSimilarity, l2distance, l2normalize } from '../../shared/engine/similarity.js';
import type { Point } from '../../shared/engine/types.js';
import { planViews } from '../../shared/engine/views.js';

const close = (a: readonly number[], b: readonly number[], digits = 6) =>
  a.forEach((v, i) => expect(v).toBeCloseTo(b[i], digits));

describe('similarity transform (Umeyama)', () => {
  it('recovers an exact rotation + scale + translation', () => {
    const angle = 0.3;
    const s = 2.5;
    const m: Affine = [
      s * Math.cos(angle),
      -s * Math.sin(angle),
      10,
      s * Math.sin(angle),
      s * Math.cos(angle),
      -4,
    ];
    const src: Point[] = [
      [0, 0],
      [1, 0],
      [0, 2],
      [3, 1],
      [-1, 5],
    ];
    close(
      similarityTransform(
        src,
        src.map((p) => applyAffine(m, p)),
      ),
      m,
      9,
    );
  });

  it('is the least-squares fit for noisy points (reference from numpy lstsq)', () => {
    // dst = [[1,1],[3,1.2],[1.1,3]] from src = [[0,0],[1,0],[0,1]]; solved with numpy over (a, b, tx, ty).
    const t = similarityTransform(
      [
        [0, 0],
        [1, 0],
        [0, 1],
      ],
      [
        [1, 1],
        [3, 1.2],
        [1.1, 3],
      ],
    );
    close(t, [1.925, -0.05, 1.075, 0.05, 1.925, 1.075], 9);
  });

  it('inverts', () => {
    const m: Affine = [2, 0.5, 3, -0.25, 1.5, 7];
    const p: Point = [4, -2];
    close(applyAffine(invertAffine(m), applyAffine(m, p)), p, 9);
  });
});

describe('crops', () => {
  it('maps an oriented square onto its centre and corners', () => {
    const m = orientedSquare(100, 50, 40, Math.PI / 2, 20);
    close(applyAffine(m, [10, 10]), [100, 50]);
    close(applyAffine(m, [0, 0]), [120, 30]);
    close(applyAffine(mirrored(m, 20), [0, 0]), applyAffine(m, [20, 0]));
  });
});

describe('BlazeFace anchors and decoding', () => {
  it('lays out 896 anchors for 256 input with strides 16/32 and 2/6 anchors per cell', () => {
    const a = blazeFaceAnchors({ inputSize: 256, strides: [16, 32], anchorsPerCell: [2, 6] });
    expect(a.length / 2).toBe(896);
    close(Array.from(a.subarray(0, 6)), [8, 8, 8, 8, 24, 8]);
    close(Array.from(a.subarray(1024, 1026)), [16, 16]); // first anchor of the stride-32 layer
    close(Array.from(a.subarray(-2)), [240, 240]);
  });

  it('lays out 2304 anchors for the 192 full-range model', () => {
    expect(blazeFaceAnchors({ inputSize: 192, strides: [4], anchorsPerCell: [1] }).length / 2).toBe(2304);
  });

  it('decodes centre, size and keypoints relative to the anchor', () => {
    const anchors = new Float32Array([8, 8, 24, 8]);
    const regressors = new Float32Array(32);
    regressors.set([2, -1, 10, 12, 1, 1, -1, -1], 16);
    const logits = new Float32Array([-5, Math.log(0.9 / 0.1)]);
    const out = decodeBlazeFace(
      { regressors, regStride: 16, regOffset: 0, logits, logitStride: 1, logitOffset: 0, keypoints: 2 },
      anchors,
      0.5,
    );
    expect(out).toHaveLength(1);
    close([out[0].x1, out[0].y1, out[0].x2, out[0].y2, out[0].score], [21, 1, 31, 13, 0.9]);
    close(out[0].keypoints.flat(), [25, 9, 23, 7]);
  });
});

describe('NMS', () => {
  const box = (x1: number, y1: number, x2: number, y2: number, score: number): Candidate => ({
    x1,
    y1,
    x2,
    y2,
    score,
    keypoints: [[(x1 + x2) / 2, (y1 + y2) / 2]],
  });
  it('computes IoU', () => {
    expect(iou(box(0, 0, 10, 10, 1), box(5, 0, 15, 10, 1))).toBeCloseTo(50 / 150, 9);
    expect(iou(box(0, 0, 1, 1, 1), box(2, 2, 3, 3, 1))).toBe(0);
  });
  it('keeps the best of overlapping boxes (hard) and blends them (weighted)', () => {
    const boxes = [box(0, 0, 10, 10, 0.6), box(1, 0, 11, 10, 0.9), box(50, 50, 60, 60, 0.7)];
    expect(hardNms(boxes, 0.3).map((b) => b.score)).toEqual([0.9, 0.7]);
    const w = weightedNms(boxes, 0.3);
    expect(w.map((b) => b.score)).toEqual([0.9, 0.7]);
    close([w[0].x1, w[0].x2, w[0].keypoints[0][0]], [0.6, 10.6, 5.6]);
  });
});

describe('embedding maths', () => {
  it('normalises and measures L2 distance', () => {
    const a = l2normalize(new Float32Array([3, 4]));
    close(Array.from(a), [0.6, 0.8]);
    expect(l2distance(a, new Float32Array([0.6, -0.8]))).toBeCloseTo(1.6, 6);
  });
  it("follows CompreFace's calibrated similarity formula", () => {
    const c = { c0: 0.4, c1: 12 };
    expect(calibratedSimilarity(0.4, c)).toBe(0.5);
    expect(calibratedSimilarity(0.3, c)).toBeCloseTo((Math.tanh(1.2) + 1) / 2, 12);
    expect(calibratedSimilarity(0, c)).toBeGreaterThan(calibratedSimilarity(1, c));
  });
});

describe('landmark conventions', () => {
  it('takes eye centres, nose tip and mouth corners from 68 points', () => {
    const pts: Point[] = Array.from({ length: 68 }, (_, i) => [i, 2 * i]);
    close(fivePointsFrom68(pts).flat(), [38.5, 77, 44.5, 89, 30, 60, 48, 96, 54, 108]);
  });
  it("places dlib's chip points like dlib (150 px, padding 0.25)", () => {
    expect(DLIB_ALIGN_INDICES).toHaveLength(68 - 17 - 10 - 5 - 3);
    // nose tip (30): x = (0.25 + 0.490127) / 1.5 * 150
    const nose = dlibChipTemplate()[DLIB_ALIGN_INDICES.indexOf(30)];
    close(nose, [74.0127, ((0.25 + 0.515625) / 1.5) * 150], 3);
    const [le, re] = dlibFivePointTemplate();
    expect(le[0]).toBeLessThan(re[0]);
    expect(le[1]).toBeCloseTo(re[1], 6);
  });
});

describe('sampling into tensors', () => {
  // 2x2 RGB image: red, green / blue, white
  const img = {
    data: new Uint8Array([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255]),
    width: 2,
    height: 2,
    channels: 3 as const,
  };
  const spec = (over: Partial<TensorSpec> = {}): TensorSpec => ({
    width: 2,
    height: 2,
    layout: 'NHWC',
    colorOrder: 'RGB',
    mean: [0, 0, 0],
    std: [1, 1, 1],
    ...over,
  });
  it('copies pixels through the identity map', () => {
    close(Array.from(warpToTensor(img, [1, 0, 0, 0, 1, 0], spec())), Array.from(img.data));
  });
  it('applies mean/std, BGR order and NCHW layout', () => {
    const t = warpToTensor(
      img,
      [1, 0, 0, 0, 1, 0],
      spec({ colorOrder: 'BGR', layout: 'NCHW', mean: [127.5, 127.5, 127.5], std: [127.5, 127.5, 127.5] }),
    );
    close(Array.from(t), [-1, -1, 1, 1, -1, 1, -1, 1, 1, -1, -1, 1]);
  });
  it('area-averages a 2x downscale and reads black outside', () => {
    const one = warpToTensor(img, [2, 0, 0, 0, 2, 0], spec({ width: 1, height: 1 }));
    close(Array.from(one), [127.5, 127.5, 127.5], 3);
    const outside = warpToTensor(img, [1, 0, 10, 0, 1, 10], spec());
    expect(Array.from(outside).every((v) => v === 0)).toBe(true);
  });

  // A 37x23 RGBA image of smooth gradients and noise, so every tap's weight matters.
  const big = {
    data: Uint8Array.from({ length: 37 * 23 * 4 }, (_, i) => (i * 7919 + ((i >> 2) % 37) * 13) % 256),
    width: 37,
    height: 23,
    channels: 4 as const,
  };
  const maxDiff = (a: Float32Array, b: Float32Array) =>
    a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
  it('takes the separable path for axis-aligned maps with the same result as the general one', () => {
    const s = spec({
      width: 16,
      height: 16,
      layout: 'NCHW',
      colorOrder: 'BGR',
      mean: [9, 8, 7],
      std: [2, 3, 4],
    });
    // downscales (k = 1..3 sub-samples), an upscale, a mirror and views hanging off every edge
    for (const m of [
      [2.4, 0, -3, 0, 1.7, 2],
      [1, 0, 0, 0, 1, 0],
      [0.4, 0, 5, 0, 0.4, 4],
      [-2.1, 0, 36, 0, 2.1, -6],
      [3.3, 0, -10, 0, 3.3, -10],
    ] as Affine[]) {
      // a shear of 1e-12 forces the general path without moving any sample measurably
      const general: Affine = [m[0], 1e-12, m[2], m[3], m[4], m[5]];
      expect(maxDiff(warpToTensor(big, m, s), warpToTensor(big, general, s))).toBeLessThan(1e-4);
    }
  });
  it('crops a resampled image exactly as warping each tile at that scale', () => {
    const s = spec({ width: 8, height: 8, mean: [3, 4, 5], std: [2, 2, 2] });
    for (const scale of [1.6, 2.5, 0.8]) {
      const resampled = resampleImage(big, scale);
      // tiles inside, and hanging off the right and bottom edges (they read black there)
      for (const [col, row] of [
        [0, 0],
        [3, 2],
        [Math.ceil(37 / scale) - 4, Math.ceil(23 / scale) - 3],
      ]) {
        const warped = warpToTensor(big, [scale, 0, col * scale, 0, scale, row * scale], s);
        expect(maxDiff(cropToTensor(resampled, col, row, s), warped)).toBeLessThan(1e-4);
      }
    }
  });
  it('mirrors a tensor exactly as sampling through the mirrored map', () => {
    for (const layout of ['NHWC', 'NCHW'] as const) {
      const s = spec({ width: 12, height: 10, layout });
      const m = orientedSquare(18, 11, 20, 0.3, 12);
      const n = 12 * 10 * 3;
      const both = new Float32Array(2 * n);
      warpToTensor(big, m, s, both, 0);
      mirrorTensor(both, s, 0, n);
      expect(maxDiff(both.subarray(n), warpToTensor(big, mirrored(m, 12), s))).toBeLessThan(1e-3);
      expect(maxDiff(both.subarray(n), both.subarray(0, n))).toBeGreaterThan(1);
    }
  });
});

describe('shrinking big images', () => {
  it('box-averages integer blocks and drops partial edge blocks', () => {
    // 5x2 RGBA → factor 2 → 2x1 RGB
    const data = new Uint8Array(5 * 2 * 4);
    for (let i = 0; i < 10; i++) data.set([i * 10, 100, 200, 255], i * 4);
    const out = shrink({ data, width: 5, height: 2, channels: 4 }, 2);
    expect([out.width, out.height, out.channels]).toEqual([2, 1, 3]);
    // block 0: pixels 0,1,5,6 → red mean 30; block 1: pixels 2,3,7,8 → red mean 50
    expect(Array.from(out.data)).toEqual([30, 100, 200, 50, 100, 200]);
  });
});

describe('detector views', () => {
  it('letterboxes small images into one square view', () => {
    const v = planViews(400, 200, { inputSize: 200, tileAbove: 0, tileFraction: 0.5, overlap: 0.25 });
    expect(v).toHaveLength(1);
    close(applyAffine(v[0].toImage, [0, 0]), [0, -100]);
    close(applyAffine(v[0].toImage, [200, 200]), [400, 300]);
  });
  it('adds overlapping tiles covering a big image', () => {
    const v = planViews(2000, 1000, { inputSize: 200, tileAbove: 2, tileFraction: 0.5, overlap: 0.25 });
    const tiles = v.slice(1);
    expect(tiles.length).toBeGreaterThan(1);
    expect(Math.min(...tiles.map((t) => t.rect[0]))).toBe(0);
    expect(Math.max(...tiles.map((t) => t.rect[2]))).toBeCloseTo(2000, 6);
  });
});
