// The embedders a face service may choose (issue 17.1): built-in models present in the manifest, each named by
// a key `<model>@<pipeline version>` that is stored with every embedding, with its size and similarity scale.
import { calibrationFor } from './calibration.js';
import type { ModelCatalog } from './manifest.js';
import { calibratedSimilarity, l2distance } from './similarity.js';

/** Bumped whenever detection/alignment changes embeddings, so stored embeddings can be told apart. */
export const PIPELINE_VERSION = 1;

/**
 * The embedder chosen by LFW View 1 (devtrain 99.50 %, devtest 99.30 % through the whole pipeline, against 99.32 % and
 * 98.90 % for face-api's 128-d ResNet). Services created before embedders were chosen per service use it.
 */
export const DEFAULT_EMBEDDER = 'faceplugin-recognition';

/** Embedders a service may choose, in the order they are offered (each has a calibration). */
export const SERVICE_EMBEDDERS = ['faceplugin-recognition', 'faceapi-recognition'] as const;

export interface EmbedderInfo {
  /** Manifest model id, e.g. `faceapi-recognition`. */
  model: string;
  /** Pipeline version its embeddings were made with. */
  version: number;
  /** `<model>@<version>`: what embeddings, sync and the search index are keyed by. */
  key: string;
  /** Embedding size. */
  dim: number;
  description: string;
  /** The embedder a service gets when none is chosen. */
  default: boolean;
}

export const embedderKey = (model: string, version = PIPELINE_VERSION): string => `${model}@${version}`;

/** The model id of an embedder key (`faceapi-recognition@1` → `faceapi-recognition`); a bare id is returned as is. */
export const embedderModel = (keyOrModel: string): string => keyOrModel.replace(/@[^@]*$/, '');

/** The service embedders the catalog holds, with their sizes. */
export function listEmbedders(catalog: ModelCatalog): EmbedderInfo[] {
  return SERVICE_EMBEDDERS.filter((id) => catalog.models[id]).map((model) => {
    const info = catalog.models[model];
    return {
      model,
      version: PIPELINE_VERSION,
      key: embedderKey(model),
      dim: Number(info.outputs[0].shape.at(-1)),
      description: (info as { description?: string }).description ?? model,
      default: model === DEFAULT_EMBEDDER,
    };
  });
}

/** The calibrated similarity in [0,1] of two unit embeddings of `keyOrModel` (0.5 at its equal-error point). */
export function embedderSimilarity(keyOrModel: string): (a: Float32Array, b: Float32Array) => number {
  const calibration = calibrationFor(embedderModel(keyOrModel));
  return (a, b) => calibratedSimilarity(l2distance(a, b), calibration);
}
