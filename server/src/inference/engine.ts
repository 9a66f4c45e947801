// The server's face engine: the shared pipeline over the onnxruntime-node gateway and the built models/ directory
// (plus the valid model packs, server/src/inference/packs.ts, when given).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEngine, type EngineConfig } from '../../../shared/engine/engine.js';
import type { FaceEngine } from '../../../shared/engine/types.js';
import { OrtSessionProvider, readManifest, type OrtOptions } from './ort.js';
import type { ModelSet } from './packs.js';

export const DEFAULT_MODELS_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../models');

export interface ServerEngineOptions extends OrtOptions, Partial<Omit<EngineConfig, 'sessions' | 'catalog'>> {
  /** Directory holding manifest.json and the .onnx files (default: the repository's models/). */
  modelsDir?: string;
  /** The catalog with the model packs and where their files are (loadModelSet); default: the built-in manifest. */
  models?: Pick<ModelSet, 'catalog' | 'files'>;
}

/** Loads the manifest and the core models (detector, landmarks, embedder); plugins load on first use. */
export async function createServerEngine(opts: ServerEngineOptions = {}): Promise<FaceEngine> {
  const modelsDir = opts.modelsDir ?? DEFAULT_MODELS_DIR;
  const catalog = opts.models?.catalog ?? (await readManifest(modelsDir));
  const sessions = new OrtSessionProvider(modelsDir, catalog, opts, opts.models?.files);
  const engine = await createEngine({ ...opts, sessions, catalog });
  return { ...engine, dispose: async () => (await engine.dispose(), await sessions.dispose()) };
}
