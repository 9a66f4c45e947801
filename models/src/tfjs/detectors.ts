// Face detectors (MediaPipe BlazeFace family). Each ONNX model outputs raw per-anchor `scores` (logits) and `boxes`
// (16 regressors), in the anchor order of human's `generateAnchors` (described in `extra.anchors`).
import type { GraphBuilder } from '../onnx/graph-builder.js';
import type { ModelSpec } from '../spec.js';
import { minusOneToOne, tfjsModel } from './define.js';

type Resolve = (tf: string) => string;

const concat = (parts: string[], name: string) => (t: Resolve, g: GraphBuilder) =>
  g.op('Concat', parts.map(t), { axis: 1 }, name);

/** Slices [from, to) of the last axis of a [b, n, 17] detection tensor. */
const lastAxis = (tensor: string, from: number, to: number, name: string) => (t: Resolve, g: GraphBuilder) =>
  g.op(
    'Slice',
    [
      t(tensor),
      g.constInt64(`${name}/starts`, [from]),
      g.constInt64(`${name}/ends`, [to]),
      g.constInt64(`${name}/axes`, [2]),
    ],
    {},
    name,
  );

const decoding =
  'Per anchor: score = sigmoid(scores[i]); boxes[i] = [dx, dy, w, h, k0x, k0y, … k5x, k5y] in input pixels. ' +
  'Box centre = anchor + (dx, dy), size = (w, h); keypoint j = anchor + (kjx, kjy). ' +
  'Keypoints 0..5 as human names them: leftEye, rightEye, nose, mouth, leftEar, rightEar (MediaPipe: 0 = the subject’s right eye). Then NMS (human defaults: iou 0.1, minConfidence 0.2, box enlarged 1.4x and squared for the mesh crop).';

function anchors(inputSize: number, strides: number[], perCell: number[]): Record<string, unknown> {
  const count = strides.reduce((n, s, i) => n + Math.ceil(inputSize / s) ** 2 * perCell[i], 0);
  return {
    inputSize,
    strides,
    anchorsPerCell: perCell,
    count,
    rule: 'for each stride: for each grid row y, col x (grid = ceil(inputSize/stride)): repeat anchorsPerCell times [(x+0.5)*stride, (y+0.5)*stride]',
  };
}

const scoresMeaning = (n: number) => `[batch, ${n}, 1] face logits per anchor (apply sigmoid)`;
const boxesMeaning = (n: number) =>
  `[batch, ${n}, 16] box centre offset, size and 6 keypoint offsets per anchor, in input pixels`;

/** BlazeFace (back and front) ship four raw heads; both models join them the same way into scores and boxes. */
function blazeFaceOutputs() {
  return [
    {
      name: 'scores',
      shape: [1, 896, 1],
      meaning: scoresMeaning(896),
      from: concat(['Identity', 'Identity_1'], 'scores/concat'),
    },
    {
      name: 'boxes',
      shape: [1, 896, 16],
      meaning: boxesMeaning(896),
      from: concat(['Identity_2', 'Identity_3'], 'boxes/concat'),
    },
  ];
}

export function detectorSpecs(): ModelSpec[] {
  return [
    tfjsModel({
      id: 'blazeface-back',
      task: 'detector',
      description: "BlazeFace back-camera (full range) face detector, 256x256; human's default face detector",
      upstream: 'https://github.com/google/mediapipe (Apache-2.0)',
      input: { name: 'input', shape: [1, 256, 256, 3], layout: 'NHWC', colorOrder: 'RGB', ...minusOneToOne },
      outputs: blazeFaceOutputs(),
      extra: {
        anchors: anchors(256, [16, 32], [2, 6]),
        decoding,
        resize: 'whole image (optionally padded to a square) bilinear-resized to 256x256',
      },
    }),
    tfjsModel({
      id: 'blazeface-front',
      task: 'detector',
      description: 'BlazeFace front-camera (short range) face detector, 128x128',
      upstream: 'https://github.com/google/mediapipe (Apache-2.0)',
      input: { name: 'input', shape: [1, 128, 128, 3], layout: 'NHWC', colorOrder: 'RGB', ...minusOneToOne },
      outputs: blazeFaceOutputs(),
      extra: { anchors: anchors(128, [8, 16], [2, 6]), decoding },
    }),
    tfjsModel({
      id: 'facemesh-detection-full',
      task: 'detector',
      description:
        'MediaPipe face detector, full range, 192x192 (face + person heads; only the face head is exported)',
      upstream: 'https://github.com/google/mediapipe (Apache-2.0)',
      input: {
        name: 'input',
        shape: ['batch', 192, 192, 3],
        layout: 'NHWC',
        colorOrder: 'RGB',
        ...minusOneToOne,
      },
      outputs: [
        {
          name: 'scores',
          shape: ['batch', 2304, 1],
          meaning: scoresMeaning(2304),
          from: lastAxis('Identity', 0, 1, 'scores'),
        },
        {
          name: 'boxes',
          shape: ['batch', 2304, 16],
          meaning: boxesMeaning(2304),
          from: lastAxis('Identity', 1, 17, 'boxes'),
        },
      ],
      extra: { anchors: anchors(192, [4], [1]), decoding },
    }),
    tfjsModel({
      id: 'facemesh-detection-short',
      task: 'detector',
      description: 'MediaPipe face detector, short range (faces within ~2 m), 128x128',
      upstream: 'https://github.com/google/mediapipe (Apache-2.0)',
      input: {
        name: 'input',
        shape: ['batch', 128, 128, 3],
        layout: 'NHWC',
        colorOrder: 'RGB',
        ...minusOneToOne,
      },
      outputs: [
        {
          name: 'scores',
          shape: ['batch', 896, 1],
          meaning: scoresMeaning(896),
          from: lastAxis('Identity', 0, 1, 'scores'),
        },
        {
          name: 'boxes',
          shape: ['batch', 896, 16],
          meaning: boxesMeaning(896),
          from: lastAxis('Identity', 1, 17, 'boxes'),
        },
      ],
      extra: { anchors: anchors(128, [8, 16], [2, 6]), decoding },
    }),
  ];
}
