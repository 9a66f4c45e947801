// The plugin contract: what a face plugin reads (FaceContext), how it is made (PluginFactory) and how it describes
// itself (PluginDescriptor). Plugins import this file; the registry (index.ts) imports the plugins.
import type { Affine } from '../affine.js';
import type { ModelCatalog } from '../manifest.js';
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
  /** Chip-to-image map of the face aligned for the engine's embedder (its profile's chip size and template). */
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

/** One plugin: its CompreFace name, the face field it fills, the models it loads, its version and its factory. */
export interface PluginDescriptor {
  name: PluginName;
  /** The FaceAnalysis field its result goes to (CompreFace's response field of the same name, `embedding` aside). */
  field: keyof FaceAnalysis;
  /** Manifest ids of the models it runs (loaded on first use). */
  models: readonly string[];
  /** Reported in CompreFace's `plugins_versions`. */
  version: string;
  create: PluginFactory;
}
