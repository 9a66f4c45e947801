// Models an npm package already ships as ONNX: taken byte for byte (nothing to convert), described here.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { ModelSpec } from '../spec.js';

const require = createRequire(import.meta.url);

export const FACEPLUGIN = 'faceplugin-face-recognition-js';

/**
 * Faceplugin's face feature net (fr_feature.onnx): a 512-d embedding of an ArcFace-aligned 112x112 crop. Their web
 * SDK feeds it RGB; the net was trained on BGR (OpenCV) crops: BGR scores better on LFW View 1 devtrain (99.50 %
 * against 99.41 %, equal-error rate 0.64 % against 0.91 %), so BGR it is.
 */
export function facepluginRecognitionSpec(): ModelSpec {
  const { version } = require(`${FACEPLUGIN}/package.json`) as { version: string };
  const file = 'model/fr_feature.onnx';
  return {
    id: 'faceplugin-recognition',
    task: 'embedder',
    description:
      'Faceplugin face feature net: 512-d face embedding of a 112x112 ArcFace-aligned crop (shipped as ONNX, used as is)',
    license: `MIT (${FACEPLUGIN}); training data not documented upstream`,
    source: { package: FACEPLUGIN, version, files: [file] },
    input: {
      name: 'input',
      shape: [1, 3, 112, 112],
      layout: 'NCHW',
      colorOrder: 'BGR',
      mean: [127, 127, 127],
      std: [128, 128, 128],
    },
    outputs: [
      {
        name: 'output',
        shape: [1, 512],
        meaning:
          'face descriptor (not normalised; the engine L2-normalises it); compare by Euclidean distance',
      },
    ],
    dependsOn: ['blazeface-back', 'faceapi-landmarks68'],
    extra: {
      upstream: 'https://github.com/Faceplugin-ltd/FaceRecognition-LivenessDetection-Javascript',
      crop: 'ArcFace five-point alignment (eye centres, nose tip, mouth corners) to the 112x112 template',
      alignment: 'arcface',
      embeddingSize: 512,
      // The mirrored second pass gains 0.05 % on devtrain for twice the embedding time (the batch is fixed at 1).
      mirror: false,
    },
    convert: (packageRoot) => new Uint8Array(readFileSync(join(packageRoot, file))),
  };
}

export function packagedSpecs(): ModelSpec[] {
  return [facepluginRecognitionSpec()];
}
