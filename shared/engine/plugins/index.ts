// The plugin registry: one descriptor per plugin name (contract.ts says what a descriptor is).
import { ageDescriptor, genderDescriptor } from './attributes.js';
import type { PluginDescriptor } from './contract.js';
import { memo } from './crop.js';
import { emotionDescriptor, livenessDescriptor } from './expression.js';
import { maskDescriptor } from './mask.js';
import { landmarks3dDescriptor, poseDescriptor } from './mesh.js';
import { qualityDescriptor } from './quality.js';
import type { PluginName } from '../types.js';

export type { FaceContext, PluginDeps, PluginDescriptor, PluginFactory, PluginRunner } from './contract.js';

/** The five points are always computed; the plugin only reports them (and their time) in CompreFace's shape. */
const landmarksDescriptor: PluginDescriptor = {
  name: 'landmarks',
  field: 'landmarks',
  models: [],
  version: 'visor.landmarks',
  create: () => Promise.resolve(async () => {}),
};

/** The embedding, shared with the mask plugin's memo, so asking for both embeds the face once. */
const calculatorDescriptor: PluginDescriptor = {
  name: 'calculator',
  field: 'embedding',
  models: [],
  version: 'visor.calculator',
  create: () =>
    Promise.resolve(async (ctx) => {
      ctx.face.embedding ??= await memo('embedding', ctx, ctx.embed);
    }),
};

export const PLUGIN_DESCRIPTORS: Record<PluginName, PluginDescriptor> = {
  landmarks: landmarksDescriptor,
  calculator: calculatorDescriptor,
  age: ageDescriptor,
  gender: genderDescriptor,
  pose: poseDescriptor,
  emotion: emotionDescriptor,
  liveness: livenessDescriptor,
  landmarks3d: landmarks3dDescriptor,
  quality: qualityDescriptor,
  mask: maskDescriptor,
};
