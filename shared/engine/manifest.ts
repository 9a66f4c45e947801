// What the pipeline reads from models/manifest.json (a structural subset of models/src/spec.ts ManifestEntry); the
// typed reading of each entry is profiles.ts.
import type { TensorSpec } from './preprocess.js';

export interface ModelInfo {
  /** The file's name, served at /models/<file> (a pack's model is named `pack.<pack>.<file>`). */
  file: string;
  id?: string;
  task?: string;
  description?: string;
  sha256?: string;
  /** Set for models loaded from a pack in the models folder: the pack's folder name. */
  pack?: string;
  input: {
    name: string;
    shape: (number | string)[];
    layout: 'NHWC' | 'NCHW';
    colorOrder: 'RGB' | 'BGR';
    mean: [number, number, number];
    std: [number, number, number];
  };
  outputs: { name: string; shape: (number | string)[]; meaning: string }[];
  extra?: Record<string, unknown>;
}

export interface ModelCatalog {
  models: Record<string, ModelInfo>;
}

/** Dims of a single-image batch for a model input of `spec`. */
export function inputDims(spec: TensorSpec, batch = 1): number[] {
  const c = spec.grayscale ? 1 : 3;
  return spec.layout === 'NHWC' ? [batch, spec.height, spec.width, c] : [batch, c, spec.height, spec.width];
}
