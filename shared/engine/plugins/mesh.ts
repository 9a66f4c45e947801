// Dense face mesh (MediaPipe facemesh, 468 points) and the head pose derived from it.
import type { Pose } from '../types.js';
import { cropPointsToImage, faceRegion, loadCropModel, memo } from './crop.js';
import type { FaceContext, PluginDeps, PluginDescriptor, PluginFactory } from './contract.js';

type P3 = [number, number, number];

async function facemesh(deps: PluginDeps, plugin: string) {
  const model = await loadCropModel(deps, 'facemesh', plugin);
  return (ctx: FaceContext) =>
    memo('facemesh', ctx, async () => {
      const { out, toImage } = await model.run(ctx, faceRegion(ctx, 1.4));
      return cropPointsToImage(out.mesh.data, 468, toImage);
    });
}

const sub = (a: P3, b: P3): P3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const deg = (r: number) => Math.round(((r * 180) / Math.PI) * 10) / 10;

/**
 * Head pose in degrees from mesh points (image x right, y down, z away from the camera): the face's horizontal axis
 * runs cheek 234 → cheek 454, its vertical axis forehead 10 → chin 152. yaw > 0: the face turns toward the image's
 * right; pitch > 0: it looks up; roll > 0: it leans clockwise in the image.
 */
export function poseFromMesh(mesh: readonly P3[]): Pose {
  const x = sub(mesh[454], mesh[234]);
  const y = sub(mesh[152], mesh[10]);
  return {
    yaw: deg(Math.atan2(x[2], Math.hypot(x[0], x[1]))),
    pitch: deg(-Math.atan2(y[2], Math.hypot(y[0], y[1]))),
    roll: deg(Math.atan2(x[1], x[0])),
  };
}

export const landmarks3dPlugin: PluginFactory = async (deps) => {
  const run = await facemesh(deps, 'landmarks3d');
  return async (ctx) => {
    ctx.face.landmarks3d = (await run(ctx)).map(([x, y, z]) => [
      Math.round(x * 10) / 10,
      Math.round(y * 10) / 10,
      Math.round(z * 10) / 10,
    ]);
  };
};

export const posePlugin: PluginFactory = async (deps) => {
  const run = await facemesh(deps, 'pose');
  return async (ctx) => {
    ctx.face.pose = poseFromMesh(await run(ctx));
  };
};

export { facemesh };

export const landmarks3dDescriptor: PluginDescriptor = {
  name: 'landmarks3d',
  field: 'landmarks3d',
  models: ['facemesh'],
  version: 'visor.landmarks3d',
  create: landmarks3dPlugin,
};
export const poseDescriptor: PluginDescriptor = {
  name: 'pose',
  field: 'pose',
  models: ['facemesh'],
  version: 'visor.pose',
  create: posePlugin,
};
