// Small ONNX graphs with the input and output signatures of InsightFace's packs, written by Visor's own graph
// builder (models/src/onnx): an identity-like ArcFace-shaped embedder and an SCRFD-shaped head with known outputs.
import { GraphBuilder } from '../../../models/src/onnx/graph-builder.js';

/** The embedder's output: the chip average-pooled to 16x16 per channel, channel 0 then channel 2 (2 x 256 values). */
export const POOL = 7;
export const GRID = 112 / POOL;

/**
 * [1,3,size,size] → [1,512]: each channel average-pooled over POOL x POOL cells, then a fixed linear map that keeps
 * the model's first and third channels (so RGB and BGR swap the two halves).
 */
export function identityEmbedder(opts: { size?: number; batch?: number | string; inputName?: string } = {}) {
  const size = opts.size ?? 112;
  const grid = Math.floor(size / POOL);
  const plane = grid * grid;
  const g = new GraphBuilder('identity-embedder');
  const x = g.input(opts.inputName ?? 'input.1', [opts.batch ?? 1, 3, size, size]);
  const pooled = g.op('AveragePool', [x], { kernel_shape: [POOL, POOL], strides: [POOL, POOL] });
  const flat = g.op('Reshape', [pooled, g.constInt64('shape', [1, 3 * plane])]);
  const w = new Float32Array(3 * plane * 2 * plane);
  for (let j = 0; j < plane; j++) {
    w[j * 2 * plane + j] = 1; // channel 0 → out[j]
    w[(2 * plane + j) * 2 * plane + plane + j] = 1; // channel 2 → out[plane + j]
  }
  const y = g.op('MatMul', [flat, g.constFloat('w', [3 * plane, 2 * plane], w)]);
  g.output(y, '683', [1, 2 * plane]);
  return g.encode();
}

export interface KnownFace {
  /** Box and five keypoints in 640-input pixels. */
  box: [number, number, number, number];
  kps: [number, number][];
  score: number;
  stride: number;
  /** Anchor index within its stride (row-major cell, then anchor). */
  anchor: number;
}

/**
 * [1,3,640,640] → SCRFD's nine outputs ([N,1] scores, [N,4] box distances, [N,10] keypoint offsets per stride 8, 16,
 * 32; N = (640/s)^2 x 2), all zero but for `faces`, encoded at their anchors as SCRFD would (distances in strides).
 * The outputs do not depend on the image (they add 0 x its mean), so they carry exactly the known boxes.
 */
export function scrfdHead(faces: readonly KnownFace[], opts: { size?: number; withKps?: boolean } = {}) {
  const size = opts.size ?? 640;
  const g = new GraphBuilder('scrfd-head');
  const x = g.input('input.1', [1, 3, '?', '?']);
  const zero = g.op('Mul', [g.op('ReduceMean', [x], { keepdims: 0 }), g.constFloat('zero', [], [0])]);
  const strides = [8, 16, 32];
  const outs: { scores: Float32Array; bboxes: Float32Array; kps: Float32Array }[] = strides.map((s) => {
    const n = (size / s) ** 2 * 2;
    return { scores: new Float32Array(n), bboxes: new Float32Array(4 * n), kps: new Float32Array(10 * n) };
  });
  for (const f of faces) {
    const o = outs[strides.indexOf(f.stride)];
    const cells = size / f.stride;
    const cell = Math.floor(f.anchor / 2);
    const [cx, cy] = [(cell % cells) * f.stride, Math.floor(cell / cells) * f.stride];
    o.scores[f.anchor] = f.score;
    const [x1, y1, x2, y2] = f.box;
    o.bboxes.set(
      [(cx - x1) / f.stride, (cy - y1) / f.stride, (x2 - cx) / f.stride, (y2 - cy) / f.stride],
      4 * f.anchor,
    );
    o.kps.set(
      f.kps.flatMap(([kx, ky]) => [(kx - cx) / f.stride, (ky - cy) / f.stride]),
      10 * f.anchor,
    );
  }
  let name = 448;
  const emit = (data: Float32Array, k: number) => {
    const dims = [data.length / k, k];
    g.output(g.op('Add', [g.constFloat('c', dims, data), zero]), String(name++), dims);
  };
  for (const o of outs) emit(o.scores, 1);
  for (const o of outs) emit(o.bboxes, 4);
  if (opts.withKps !== false) for (const o of outs) emit(o.kps, 10);
  return g.encode();
}
