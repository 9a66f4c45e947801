// face-api's FaceRecognitionNet (the dlib 128-d ResNet-29) rebuilt as ONNX from face_recognition_model's weights.
import { GraphBuilder } from '../onnx/graph-builder.js';
import type { ModelSpec } from '../spec.js';
import { NetBuilder, type Fmap } from './layers.js';
import { loadWeights } from './weights.js';

/** The mean RGB face-api subtracts before dividing by 255 (shared by the recognition, landmark and age/gender nets). */
export const FACEAPI_MEAN_RGB = [122.782, 117.001, 104.298];

type Layer = 'conv' | 'convNoRelu' | 'convDown';

function convLayer(n: NetBuilder, x: Fmap, prefix: string, kind: Layer): Fmap {
  const down = kind === 'convDown';
  let out = n.conv(
    x,
    `${prefix}/conv/filters`,
    `${prefix}/conv/bias`,
    down ? 2 : 1,
    down ? 'valid' : 'same',
    `${prefix}/conv`,
  );
  out = n.scale(out, `${prefix}/scale/weights`, `${prefix}/scale/biases`);
  return kind === 'convNoRelu' ? out : n.relu(out);
}

function residual(n: NetBuilder, x: Fmap, prefix: string): Fmap {
  const out = convLayer(n, convLayer(n, x, `${prefix}/conv1`, 'conv'), `${prefix}/conv2`, 'convNoRelu');
  return n.relu(n.add(out, x));
}

/** face-api's residualDown: the avg-pooled shortcut is zero-padded in channels, the conv path at the bottom/right. */
function residualDown(n: NetBuilder, x: Fmap, prefix: string): Fmap {
  let out = convLayer(n, convLayer(n, x, `${prefix}/conv1`, 'convDown'), `${prefix}/conv2`, 'convNoRelu');
  let pooled = n.pool('AveragePool', x, 2, 2, 'valid');
  if (pooled.h !== out.h || pooled.w !== out.w) out = n.padZeros(out, out.c, out.h + 1, out.w + 1);
  if (pooled.c !== out.c) pooled = n.padZeros(pooled, out.c, pooled.h, pooled.w);
  return n.relu(n.add(pooled, out));
}

export function buildRecognition(modelDir: string): Uint8Array {
  const g = new GraphBuilder('faceapi-recognition');
  const n = new NetBuilder(g, loadWeights(modelDir, 'face_recognition_model'));
  let out = n.imageInput('image', 150, { mean: FACEAPI_MEAN_RGB, div: 255 });
  out = convLayer(n, out, 'conv32_down', 'convDown');
  out = n.pool('MaxPool', out, 3, 2, 'valid');
  for (const p of ['conv32_1', 'conv32_2', 'conv32_3']) out = residual(n, out, p);
  out = residualDown(n, out, 'conv64_down');
  for (const p of ['conv64_1', 'conv64_2', 'conv64_3']) out = residual(n, out, p);
  out = residualDown(n, out, 'conv128_down');
  for (const p of ['conv128_1', 'conv128_2']) out = residual(n, out, p);
  out = residualDown(n, out, 'conv256_down');
  for (const p of ['conv256_1', 'conv256_2']) out = residual(n, out, p);
  out = residualDown(n, out, 'conv256_down_out');
  const pooled = n.flatten(n.pool('AveragePool', out, out.h, 1, 'valid'));
  g.output(n.fc(pooled, 'fc'), 'embedding', ['batch', 128]);
  return g.encode({ source: '@vladmandic/face-api face_recognition_model' });
}

export const recognitionSpec = (version: string): ModelSpec => ({
  id: 'faceapi-recognition',
  task: 'embedder',
  description:
    "face-api's FaceRecognitionNet: the dlib ResNet-29 face descriptor (128-d). Compare descriptors by Euclidean distance; face-api treats < 0.6 as the same person.",
  license: 'MIT',
  source: {
    package: '@vladmandic/face-api',
    version,
    files: ['model/face_recognition_model-weights_manifest.json', 'model/face_recognition_model.bin'],
  },
  input: {
    name: 'image',
    shape: ['batch', 150, 150, 3],
    layout: 'NHWC',
    colorOrder: 'RGB',
    mean: [0, 0, 0],
    std: [1, 1, 1],
  },
  outputs: [
    {
      name: 'embedding',
      shape: ['batch', 128],
      meaning:
        'face descriptor exactly as face-api returns it: NOT L2-normalised (its norm is about 1.4-1.5 on real faces); normalise it before cosine similarity',
    },
  ],
  dependsOn: ['faceapi-ssd', 'faceapi-landmarks68'],
  extra: {
    normalisationInGraph:
      '(pixel - [122.782, 117.001, 104.298]) / 255, computed inside the graph: feed raw 0..255 RGB',
    l2Normalised: false,
    distance: 'euclidean',
    sameFaceThreshold: 0.6,
    crop: {
      convention: 'face-api dlib alignment (landmarks.align(null, {useDlibAlignment: true}))',
      referencePoints:
        'leftEye = mean of landmarks 36..41, rightEye = mean of 42..47, mouth = mean of 48..67 (0-based, image pixels)',
      size: 'floor(((|mouth - leftEye| + |mouth - rightEye|) / 2) / 0.45)',
      origin:
        'x = floor(max(0, c.x - 0.5 * size)), y = floor(max(0, c.y - 0.43 * size)), c = centroid of the three reference points',
      toInput:
        'crop the square (clipped at the image border), pad to a square with zeros centred, resize bilinearly to 150x150 (tf.image.resizeBilinear, alignCorners=false, halfPixelCenters=false)',
    },
  },
  convert: (root) => buildRecognition(`${root}/model`),
});
