// Enrolment quality: face size, sharpness (variance of the Laplacian on the aligned grey chip) and pose.
import { warpToTensor } from '../preprocess.js';
import { facemesh, poseFromMesh } from './mesh.js';
import type { PluginFactory } from './index.js';

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

export const QUALITY_LIMITS = { minFaceSize: 80, minSharpness: 40, maxYaw: 30, maxPitch: 25 };

export const qualityPlugin: PluginFactory = async (deps) => {
  const mesh = await facemesh(deps, 'quality');
  return async (ctx) => {
    const { x_min, y_min, x_max, y_max } = ctx.face.box;
    const faceSize = Math.min(x_max - x_min, y_max - y_min);
    const size = 112; // the inner face of the 150 px chip, where blur matters
    const margin = 19;
    const chip = ctx.chip;
    const inner: typeof chip = [
      chip[0],
      chip[1],
      chip[0] * margin + chip[1] * margin + chip[2],
      chip[3],
      chip[4],
      chip[3] * margin + chip[4] * margin + chip[5],
    ];
    const grey = warpToTensor(ctx.image, inner, {
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
