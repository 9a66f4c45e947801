// face-api's AgeGenderNet (TinyXception backbone + two FC heads) rebuilt as ONNX from age_gender_model's weights.
import { GraphBuilder } from '../onnx/graph-builder.js';
import type { ModelSpec } from '../spec.js';
import { NetBuilder, type Fmap } from './layers.js';
import { FACEAPI_MEAN_RGB } from './recognition.js';
import { loadWeights } from './weights.js';

const MAIN_BLOCKS = 2;

function reductionBlock(n: NetBuilder, x: Fmap, prefix: string, activateInput: boolean): Fmap {
  let out = activateInput ? n.relu(x) : x;
  out = n.separable(out, `${prefix}/separable_conv0`, 1);
  out = n.separable(n.relu(out), `${prefix}/separable_conv1`, 1);
  out = n.pool('MaxPool', out, 3, 2, 'same');
  return n.add(
    out,
    n.conv(
      x,
      `${prefix}/expansion_conv/filters`,
      `${prefix}/expansion_conv/bias`,
      2,
      'same',
      `${prefix}/expansion_conv`,
    ),
  );
}

function mainBlock(n: NetBuilder, x: Fmap, prefix: string): Fmap {
  let out = n.separable(n.relu(x), `${prefix}/separable_conv0`, 1);
  out = n.separable(n.relu(out), `${prefix}/separable_conv1`, 1);
  out = n.separable(n.relu(out), `${prefix}/separable_conv2`, 1);
  return n.add(out, x);
}

export function buildAgeGender(modelDir: string): Uint8Array {
  const g = new GraphBuilder('faceapi-agegender');
  const n = new NetBuilder(g, loadWeights(modelDir, 'age_gender_model'));
  let out = n.imageInput('image', 112, { mean: FACEAPI_MEAN_RGB, div: 255 });
  out = n.relu(
    n.conv(out, 'entry_flow/conv_in/filters', 'entry_flow/conv_in/bias', 2, 'same', 'entry_flow/conv_in'),
  );
  out = reductionBlock(n, out, 'entry_flow/reduction_block_0', false);
  out = reductionBlock(n, out, 'entry_flow/reduction_block_1', true);
  for (let i = 0; i < MAIN_BLOCKS; i++) out = mainBlock(n, out, `middle_flow/main_block_${i}`);
  out = reductionBlock(n, out, 'exit_flow/reduction_block', true);
  out = n.relu(n.separable(out, 'exit_flow/separable_conv', 1));
  const pooled = n.flatten(n.pool('AveragePool', out, 7, 2, 'valid'));
  const age = n.fc(pooled, 'fc/age/weights', 'fc/age/bias');
  g.output(g.op('Reshape', [age, g.constInt64('age/shape', [-1])], {}, 'age/flatten'), 'age', ['batch']);
  g.output(g.op('Softmax', [n.fc(pooled, 'fc/gender/weights', 'fc/gender/bias')], { axis: -1 }), 'gender', [
    'batch',
    2,
  ]);
  return g.encode({ source: '@vladmandic/face-api age_gender_model' });
}

export const ageGenderSpec = (version: string): ModelSpec => ({
  id: 'faceapi-agegender',
  task: 'age-gender',
  description: "face-api's AgeGenderNet: age regression and gender classification of a face crop.",
  license: 'MIT',
  source: {
    package: '@vladmandic/face-api',
    version,
    files: ['model/age_gender_model-weights_manifest.json', 'model/age_gender_model.bin'],
  },
  input: {
    name: 'image',
    shape: ['batch', 112, 112, 3],
    layout: 'NHWC',
    colorOrder: 'RGB',
    mean: [0, 0, 0],
    std: [1, 1, 1],
  },
  outputs: [
    { name: 'age', shape: ['batch'], meaning: 'estimated age in years (regression, unclamped)' },
    { name: 'gender', shape: ['batch', 2], meaning: 'softmax probabilities [male, female]' },
  ],
  dependsOn: ['faceapi-ssd', 'faceapi-landmarks68'],
  extra: {
    normalisationInGraph:
      '(pixel - [122.782, 117.001, 104.298]) / 255, computed inside the graph: feed raw 0..255 RGB',
    genderLabels: ['male', 'female'],
    crop: {
      convention:
        "face-api's alignedRect: the bounding box of the 68 landmarks (image pixels) grown by 20% of its width and height (10% on each side), clipped at the image border",
      toInput:
        'pad to a square with zeros split evenly on both sides of the short axis, resize bilinearly to 112x112',
    },
  },
  convert: (root) => buildAgeGender(`${root}/model`),
});
