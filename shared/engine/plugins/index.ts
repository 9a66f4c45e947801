// Plugin registry: each plugin name maps to a factory that loads its models once and returns a per-face runner.
import type { Affine } from '../affine.js';
import type { ModelCatalog } from '../manifest.js';
import { agePlugin, genderPlugin } from './attributes.js';
import { emotionPlugin, livenessPlugin } from './expression.js';
import { memo } from './crop.js';
import { maskPlugin } from './mask.js';
import { landmarks3dPlugin, posePlugin } from './mesh.js';
import { qualityPlugin } from './quality.js';
import type { Candidate } from '../nms.js';
import type { RawImage } from '../../image.js';
import type { SessionProvider } from '../session.js';
import type { FaceAnalysis, PluginName, Point } from '../types.js';

/** Everything a plugin may read about one face; it writes its result into `face`. */
export interface FaceContext {
  image: RawImage;
  candidate: Candidate;
  /** 68 iBUG points, when the landmark model is available. */
  landmarks68: Point[] | undefined;
  face: FaceAnalysis;
  /** Chip-to-image map of the aligned face (dlib's 150x150 chip geometry). */
  chip: Affine;
  /** Embeds the aligned chip (the engine's embedder). */
  embed: () => Promise<Float32Array>;
  /** Results shared between plugins of one face (see crop.ts memo). */
  memo: Map<string, unknown>;
}

export type PluginRunner = (ctx: FaceContext) => Promise<void>;
export interface PluginDeps {
  sessions: SessionProvider;
  catalog: ModelCatalog;
}
export type PluginFactory = (deps: PluginDeps) => Promise<PluginRunner>;

export const PLUGIN_RUNNERS: Record<PluginName, PluginFactory> = {
  // The five points are always computed; the plugin only reports them (and their time) in CompreFace's shape.
  landmarks: () => Promise.resolve(async () => {}),
  calculator: () =>
    Promise.resolve(async (ctx) => {
      // Shared with the mask plugin's memo, so asking for both embeds the face once.
      ctx.face.embedding ??= await memo('embedding', ctx, ctx.embed);
    }),
  age: agePlugin,
  gender: genderPlugin,
  pose: posePlugin,
  emotion: emotionPlugin,
  liveness: livenessPlugin,
  landmarks3d: landmarks3dPlugin,
  quality: qualityPlugin,
  mask: maskPlugin,
};
