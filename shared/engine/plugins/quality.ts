// Enrolment quality: face size, sharpness (variance of the Laplacian on the inner face, located by the five
// landmarks) and pose.
import { similarityTransform, type Affine } from '../affine.js';
import { dlibFivePointTemplate, fivePointsFrom68, fivePointsFromKeypoints } from '../landmarks.js';
import { warpToTensor } from '../preprocess.js';
import type { Point } from '../types.js';
import { facemesh, poseFromMesh } from './mesh.js';
import type { FaceContext, PluginDescriptor, PluginFactory } from './contract.js';

/** Variance of the 4-neighbour Laplacian of a grey image (0..255). */
export function laplacianVariance(grey: Float32Array, width: number, height: number): number {
  let sum = 0,
    sq = 0,
    n = 0;
  for (let y = 1; y < height - 1; y++)
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      const l = grey[i - 1] + grey[i + 1] + grey[i - width] + grey[i + width] - 4 * grey[i];
      sum += l;
      sq += l * l;
      n++;
    }
  return n ? sq / n - (sum / n) ** 2 : 0;
}

/** Side of the sharpness window in pixels. */
export const SHARPNESS_WINDOW = 112;

/**
 * Where the five points sit in the sharpness window: the inner 112 px of dlib's 150 px chip (padding 0.25), i.e. brows
 * to chin and cheek to cheek at 1.12 window pixels per mean-face unit. Fixed here, not taken from the embedder's chip,
 * so a face's sharpness is the same whichever embedder the engine runs (ArcFace's 112 px chip or face-api's 150 px).
 */
const INNER_FACE_TEMPLATE: Point[] = dlibFivePointTemplate(150, 0.25).map(([x, y]) => [x - 19, y - 19]);

/** The face's five points in image pixels, unrounded: from the 68 landmarks, else the detector's keypoints. */
function fivePointsOf(ctx: FaceContext): Point[] {
  if (ctx.landmarks68) return fivePointsFrom68(ctx.landmarks68);
  if (ctx.candidate.keypoints.length >= 4) return fivePointsFromKeypoints(ctx.candidate.keypoints);
  return ctx.face.landmarks;
}

/** Window-to-image map of the inner face (SHARPNESS_WINDOW pixels) fitted on the five points. */
export function sharpnessWindow(five: readonly Point[]): Affine {
  return similarityTransform(INNER_FACE_TEMPLATE, five);
}

export const QUALITY_LIMITS = { minFaceSize: 80, minSharpness: 40, maxYaw: 30, maxPitch: 25 };

export const qualityPlugin: PluginFactory = async (deps) => {
  const mesh = await facemesh(deps, 'quality');
  return async (ctx) => {
    const { x_min, y_min, x_max, y_max } = ctx.face.box;
    const faceSize = Math.min(x_max - x_min, y_max - y_min);
    const size = SHARPNESS_WINDOW;
    const grey = warpToTensor(ctx.image, sharpnessWindow(fivePointsOf(ctx)), {
      width: size,
      height: size,
      layout: 'NHWC',
      colorOrder: 'RGB',
      mean: [0, 0, 0],
      std: [1, 1, 1],
      grayscale: [0.299, 0.587, 0.114],
    });
    const sharpness = laplacianVariance(grey, size, size);
    const pose = ctx.face.pose ?? poseFromMesh(await mesh(ctx));
    const L = QUALITY_LIMITS;
    const reasons: string[] = [];
    if (faceSize < L.minFaceSize) reasons.push(`face is ${faceSize} px, under ${L.minFaceSize} px`);
    if (sharpness < L.minSharpness) reasons.push('face is blurry');
    if (Math.abs(pose.yaw) > L.maxYaw) reasons.push('face is turned sideways');
    if (Math.abs(pose.pitch) > L.maxPitch) reasons.push('face is tilted up or down');
    const clamp = (v: number) => Math.max(0, Math.min(1, v));
    const score =
      clamp(faceSize / (2 * L.minFaceSize)) *
      clamp(sharpness / (2 * L.minSharpness)) *
      clamp(1 - Math.abs(pose.yaw) / 90) *
      clamp(1 - Math.abs(pose.pitch) / 90);
    ctx.face.quality = {
      score: Math.round(score * 1000) / 1000,
      acceptable: reasons.length === 0,
      reasons,
      face_size: faceSize,
      sharpness: Math.round(sharpness * 10) / 10,
    };
  };
};

export const qualityDescriptor: PluginDescriptor = {
  name: 'quality',
  field: 'quality',
  models: ['facemesh'],
  version: 'visor.quality',
  create: qualityPlugin,
};
