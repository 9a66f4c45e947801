// What the pipeline reads from models/manifest.json (a structural subset of models/src/spec.ts ManifestEntry).
import type { TensorSpec } from './preprocess.js';

export interface ModelInfo {
  file: string;
  task?: string;
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

/** The sampling spec for a model's image input ([N,H,W,C] or [N,C,H,W]). */
export function tensorSpec(info: ModelInfo): TensorSpec {
  const s = info.input.shape.map(Number);
  const [height, width] = info.input.layout === 'NHWC' ? [s[1], s[2]] : [s[2], s[3]];
  if (!(height > 0 && width > 0)) throw new RangeError(`model input ${info.input.name} has no fixed size`);
  const grayscale = (info.extra as { grayscale?: [number, number, number] } | undefined)?.grayscale;
  return { width, height, ...info.input, ...(grayscale ? { grayscale } : {}) };
}

/** Dims of a single-image batch for a model input of `spec`. */
export function inputDims(spec: TensorSpec, batch = 1): number[] {
  const c = spec.grayscale ? 1 : 3;
  return spec.layout === 'NHWC' ? [batch, spec.height, spec.width, c] : [batch, c, spec.height, spec.width];
}
