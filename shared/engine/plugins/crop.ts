// Shared helpers for plugins that run a model on an upright square face crop.
import { applyAffine, affineScale, type Affine } from '../affine.js';
import { orientedSquare, type FaceRegion } from '../align.js';
import { inputDims, type ModelInfo } from '../manifest.js';
import { cropModelProfile, inputProfile, type CropModelProfile } from '../profiles.js';
import { warpToTensor, type TensorSpec } from '../preprocess.js';
import type { ModelSession, Tensor } from '../session.js';
import type { PluginDeps, FaceContext } from './contract.js';
import { PluginUnavailable } from '../../errors.js';
import type { Point } from '../types.js';

/** The face box's square, `scale` times its larger side, rotated upright by the eye line. */
export function faceRegion(ctx: FaceContext, scale: number): FaceRegion {
  const { x_min, y_min, x_max, y_max } = ctx.face.box;
  const [le, re] = ctx.face.landmarks;
  return {
    cx: (x_min + x_max) / 2,
    cy: (y_min + y_max) / 2,
    side: Math.max(x_max - x_min, y_max - y_min) * scale,
    angle: Math.atan2(re[1] - le[1], re[0] - le[0]),
  };
}

export interface CropModel {
  spec: TensorSpec;
  info: ModelInfo;
  profile: CropModelProfile;
  /** Runs the model on `region`; returns its outputs and the crop-to-image map. */
  run(ctx: FaceContext, region: FaceRegion): Promise<{ out: Record<string, Tensor>; toImage: Affine }>;
}

export async function loadCropModel(deps: PluginDeps, id: string, plugin: string): Promise<CropModel> {
  const info = deps.catalog.models[id];
  if (!info) throw new PluginUnavailable(`The ${plugin} plugin needs model ${id}, which is not built`);
  const session: ModelSession = await deps.sessions.load(id);
  const spec = inputProfile(info);
  return {
    spec,
    info,
    profile: cropModelProfile(id, info),
    async run(ctx, region) {
      const toImage = orientedSquare(region.cx, region.cy, region.side, region.angle, spec.width);
      const data = warpToTensor(ctx.image, toImage, spec);
      const out = await session.run({ [session.inputNames[0]]: { data, dims: inputDims(spec) } });
      return { out, toImage };
    },
  };
}

/** Maps crop-space 3-D points (x, y in crop pixels, z in the same units) to image pixels. */
export function cropPointsToImage(
  raw: Float32Array,
  count: number,
  toImage: Affine,
): [number, number, number][] {
  const s = affineScale(toImage);
  const pts: [number, number, number][] = [];
  for (let i = 0; i < count; i++) {
    const [x, y] = applyAffine(toImage, [raw[3 * i], raw[3 * i + 1]] as Point);
    pts.push([x, y, raw[3 * i + 2] * s]);
  }
  return pts;
}

/** A per-face memo so that plugins sharing a model (age + gender, pose + landmarks3d) run it once. */
export function memo<T>(key: string, ctx: FaceContext, compute: () => Promise<T>): Promise<T> {
  const m = ctx.memo as Map<string, Promise<T>>;
  let v = m.get(key);
  if (!v) {
    v = compute();
    m.set(key, v);
  }
  return v;
}
