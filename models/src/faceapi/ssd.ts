// face-api's SsdMobilenetv1 face detector rebuilt as ONNX: MobileNetV1 backbone, 6 box predictors, prior-box decoding; NMS is left to the engine.
import { GraphBuilder } from '../onnx/graph-builder.js';
import type { ModelSpec } from '../spec.js';
import { NetBuilder, type Fmap } from './layers.js';
import { loadWeights, type WeightMap } from './weights.js';

const SIZE = 512;
const BN_EPSILON = 0.0010000000474974513;
const DOWN_LAYERS = [2, 4, 6, 12];

function pointwise(n: NetBuilder, x: Fmap, prefix: string, stride: number): Fmap {
  return n.clip(
    n.conv(x, `${prefix}/weights`, `${prefix}/convolution_bn_offset`, stride, 'same', prefix),
    0,
    6,
  );
}

function depthwiseBn(n: NetBuilder, x: Fmap, prefix: string, stride: number): Fmap {
  const out = n.depthwise(x, `${prefix}/depthwise_weights`, stride, prefix);
  const bn = ['gamma', 'beta', 'moving_mean', 'moving_variance'].map((p) => {
    const w = n.weights.get(`${prefix}/BatchNorm/${p}`, 1);
    return n.g.constFloat(`${prefix}/BatchNorm/${p}`, w.shape, w.data);
  });
  const name = n.g.op(
    'BatchNormalization',
    [out.name, ...bn],
    { epsilon: { float: BN_EPSILON } },
    `${prefix}/BatchNorm`,
  );
  return n.clip({ ...out, name }, 0, 6);
}

/** One predictor: box encodings [batch, h*w*k, 4] and class logits [batch, h*w*k, 3], in tfjs's NHWC order. */
function boxPredictor(n: NetBuilder, x: Fmap, idx: number): { boxes: string; classes: string } {
  const p = `Prediction/BoxPredictor_${idx}`;
  const nhwc = (f: Fmap, last: number, base: string): string => {
    const t = n.g.op('Transpose', [f.name], { perm: [0, 2, 3, 1] }, `${base}/nhwc`);
    return n.g.op('Reshape', [t, n.g.constInt64(`${base}/shape`, [0, -1, last])], {}, `${base}/reshape`);
  };
  const box = n.conv(
    x,
    `${p}/BoxEncodingPredictor/weights`,
    `${p}/BoxEncodingPredictor/biases`,
    1,
    'same',
    `${p}/BoxEncodingPredictor`,
  );
  const cls = n.conv(
    x,
    `${p}/ClassPredictor/weights`,
    `${p}/ClassPredictor/biases`,
    1,
    'same',
    `${p}/ClassPredictor`,
  );
  return { boxes: nhwc(box, 4, `${p}/boxes`), classes: nhwc(cls, 3, `${p}/classes`) };
}

/** Prior-derived constants in float32 exactly as face-api's decodeBoxesLayer computes them: sizes and centres per axis. */
function priorConstants(weights: WeightMap): {
  sizeY: Float32Array;
  sizeX: Float32Array;
  centerY: Float32Array;
  centerX: Float32Array;
} {
  const priors = weights.get('Output/extra_dim', 3).data;
  const count = priors.length / 4;
  const f = Math.fround;
  const sizeY = new Float32Array(count);
  const sizeX = new Float32Array(count);
  const centerY = new Float32Array(count);
  const centerX = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const [y0, x0, y1, x1] = priors.subarray(i * 4, i * 4 + 4);
    sizeY[i] = f(y1 - y0);
    sizeX[i] = f(x1 - x0);
    centerY[i] = f(y0 + f(sizeY[i] / 2));
    centerX[i] = f(x0 + f(sizeX[i] / 2));
  }
  return { sizeY, sizeX, centerY, centerX };
}

/** face-api's decodeBoxesLayer on [batch, N, 4] encodings → [batch, N, 4] boxes (ymin, xmin, ymax, xmax). */
function decodeBoxes(g: GraphBuilder, weights: WeightMap, encodings: string): string {
  const { sizeY, sizeX, centerY, centerX } = priorConstants(weights);
  const n = sizeY.length;
  const c = (name: string, data: Float32Array): string => g.constFloat(`priors/${name}`, [n, 1], data);
  const k = (v: number): string => g.constFloat('decode/k', [], [v]);
  const [ty, tx, th, tw] = g.node('Split', [encodings], { axis: 2 }, { name: 'decode/split', nOutputs: 4 });
  const [sy, sx] = [c('size_y', sizeY), c('size_x', sizeX)];
  const halfH = g.op(
    'Div',
    [g.op('Mul', [g.op('Exp', [g.op('Div', [th, k(5)])]), sy]), k(2)],
    {},
    'decode/half_h',
  );
  const cy = g.op(
    'Add',
    [g.op('Mul', [g.op('Div', [ty, k(10)]), sy]), c('center_y', centerY)],
    {},
    'decode/center_y',
  );
  const halfW = g.op(
    'Div',
    [g.op('Mul', [g.op('Exp', [g.op('Div', [tw, k(5)])]), sx]), k(2)],
    {},
    'decode/half_w',
  );
  const cx = g.op(
    'Add',
    [g.op('Mul', [g.op('Div', [tx, k(10)]), sx]), c('center_x', centerX)],
    {},
    'decode/center_x',
  );
  const parts = [
    g.op('Sub', [cy, halfH]),
    g.op('Sub', [cx, halfW]),
    g.op('Add', [cy, halfH]),
    g.op('Add', [cx, halfW]),
  ];
  return g.op('Concat', parts, { axis: 2 }, 'decode/boxes');
}

export function buildSsd(modelDir: string): Uint8Array {
  const g = new GraphBuilder('faceapi-ssd');
  const weights = loadWeights(modelDir, 'ssd_mobilenetv1_model');
  const n = new NetBuilder(g, weights);
  let x = n.imageInput('image', SIZE, { div: 127.5, sub: 1 });
  x = pointwise(n, x, 'MobilenetV1/Conv2d_0_pointwise', 2);
  let conv11: Fmap | undefined;
  for (let i = 1; i <= 13; i++) {
    x = depthwiseBn(n, x, `MobilenetV1/Conv2d_${i}_depthwise`, DOWN_LAYERS.includes(i) ? 2 : 1);
    x = pointwise(n, x, `MobilenetV1/Conv2d_${i}_pointwise`, 1);
    if (i === 11) conv11 = x;
  }
  if (!conv11) throw new Error('faceapi-ssd: no conv11 feature map');
  const feats: Fmap[] = [conv11, x];
  let y = x;
  for (let i = 0; i < 8; i++) {
    y = pointwise(n, y, `Prediction/Conv2d_${i}_pointwise`, i % 2 ? 2 : 1);
    if (i % 2) feats.push(y);
  }
  const preds = feats.map((f, i) => boxPredictor(n, f, i));
  const encodings = g.op(
    'Concat',
    preds.map((p) => p.boxes),
    { axis: 1 },
    'boxes/encodings',
  );
  const classes = g.op(
    'Concat',
    preds.map((p) => p.classes),
    { axis: 1 },
    'classes/logits',
  );
  g.output(decodeBoxes(g, weights, encodings), 'boxes', ['batch', 5118, 4]);
  const faceLogit = g.op('Slice', [
    classes,
    g.constInt64('scores/start', [1]),
    g.constInt64('scores/end', [2]),
    g.constInt64('scores/axis', [2]),
  ]);
  const scores = g.op('Sigmoid', [g.op('Reshape', [faceLogit, g.constInt64('scores/shape', [0, -1])])]);
  g.output(scores, 'scores', ['batch', 5118]);
  return g.encode({ source: '@vladmandic/face-api ssd_mobilenetv1_model' });
}

export const ssdSpec = (version: string): ModelSpec => ({
  id: 'faceapi-ssd',
  task: 'detector',
  description:
    "face-api's SSD MobileNetV1 face detector (5118 prior boxes, boxes decoded in the graph; NMS is the engine's job).",
  license: 'MIT',
  source: {
    package: '@vladmandic/face-api',
    version,
    files: ['model/ssd_mobilenetv1_model-weights_manifest.json', 'model/ssd_mobilenetv1_model.bin'],
  },
  input: {
    name: 'image',
    shape: ['batch', SIZE, SIZE, 3],
    layout: 'NHWC',
    colorOrder: 'RGB',
    mean: [0, 0, 0],
    std: [1, 1, 1],
  },
  outputs: [
    {
      name: 'boxes',
      shape: ['batch', 5118, 4],
      meaning: 'decoded boxes [ymin, xmin, ymax, xmax], normalised 0..1 to the 512x512 input (unclipped)',
    },
    {
      name: 'scores',
      shape: ['batch', 5118],
      meaning: 'face probability per box (sigmoid of the face logit)',
    },
  ],
  extra: {
    normalisationInGraph: 'pixel / 127.5 - 1, computed inside the graph: feed raw 0..255 RGB',
    nms: {
      inGraph: false,
      iouThreshold: 0.5,
      minConfidence: 0.5,
      maxResults: 100,
      note: "face-api's defaults; NMS runs in the engine",
    },
    letterbox:
      'face-api pads the image with zeros at the right or bottom (not centred) to a square of side max(w, h), then resizes bilinearly to 512x512; a box maps back as x * side, y * side (clip to 0..1 first)',
    boxOrder: ['ymin', 'xmin', 'ymax', 'xmax'],
  },
  convert: (root) => buildSsd(`${root}/model`),
});
