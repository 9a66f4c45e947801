// Landmark models run on a face crop: the 468-point face mesh and the iris/eye-contour model.
import type { ModelSpec } from '../spec.js';
import { tfjsModel, zeroToOne } from './define.js';

export function landmarkSpecs(): ModelSpec[] {
  return [
    tfjsModel({
      id: 'facemesh',
      task: 'mesh',
      description: 'MediaPipe Face Mesh: 468 3-D landmarks on a 192x192 face crop',
      upstream: 'https://github.com/google/mediapipe (Apache-2.0)',
      input: {
        name: 'input',
        shape: ['batch', 192, 192, 3],
        layout: 'NHWC',
        colorOrder: 'RGB',
        ...zeroToOne,
      },
      outputs: [
        {
          name: 'mesh',
          shape: ['batch', 1404],
          meaning: '468 points as (x, y, z), x/y in crop pixels (0..192), z relative depth',
          from: 'Identity_2',
        },
        {
          name: 'faceflag',
          shape: ['batch', 1],
          meaning: 'probability that the crop contains a face (0..1)',
          from: 'Identity_1',
        },
        {
          name: 'contours',
          shape: ['batch', 266],
          meaning: '133 contour points as (x, y) in crop pixels',
          from: 'Identity',
        },
      ],
      dependsOn: ['blazeface-back'],
      extra: {
        crop: 'detector box enlarged 1.4x (human face.detector.scale), squared, optionally rotated upright using the eyes, resized to 192x192',
        points: 468,
      },
    }),
    tfjsModel({
      id: 'iris',
      task: 'iris',
      description: 'MediaPipe Iris: 71 eye-contour points and 5 iris points on a 64x64 eye crop',
      upstream: 'https://github.com/google/mediapipe (Apache-2.0)',
      input: { name: 'input', shape: ['batch', 64, 64, 3], layout: 'NHWC', colorOrder: 'RGB', ...zeroToOne },
      outputs: [
        {
          name: 'landmarks',
          shape: ['batch', 1, 1, 228],
          meaning:
            '76 points as (x, y, z) in crop pixels: 71 eye contour/brow points, then 5 iris points (centre first)',
          from: 'Identity',
        },
      ],
      dependsOn: ['facemesh'],
      extra: {
        crop: 'eye box from mesh points (left 33/133, right 362/263) enlarged 2.3x, squared, resized to 64x64; the left eye is flipped horizontally',
        points: 76,
        irisIndex: 71,
      },
    }),
  ];
}
