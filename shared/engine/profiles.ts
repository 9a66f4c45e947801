// Model profiles: each model's geometry and meaning (input size, colour order, normalisation, alignment template,
// mirror, output dims and meaning) read from its manifest entry once into a typed object, so that nothing else in
// the pipeline reads the manifest's free-form `extra`. `availableModels` lists the detectors and embedders a face
// service may choose from: the built-in ones below plus the valid packs of the models folder (server/src/inference/
// packs.ts adds those to the catalog with the same entry shape, `pack` set).
import type { AnchorConfig } from './blazeface.js';
import { CALIBRATIONS } from './calibration.js';
import { arcfaceFivePointTemplate, dlibFivePointTemplate } from './landmarks.js';
import type { ModelCatalog, ModelInfo } from './manifest.js';
import type { TensorSpec } from './preprocess.js';
import type { Calibration } from './similarity.js';
import type { Point } from './types.js';
import { PluginUnavailable } from '../errors.js';

/** Bumped whenever detection/alignment changes embeddings, so stored embeddings can be told apart. */
export const PIPELINE_VERSION = 1;

/** The built-in detectors and embedders the pipeline runs (the manifest holds others that plugins use). */
export const BUILT_IN_DETECTORS = ['blazeface-back', 'blazeface-front'] as const;
export const BUILT_IN_EMBEDDERS = ['faceplugin-recognition', 'faceapi-recognition'] as const;

/** Where a model comes from: Visor's build (models/manifest.json) or a pack in the models folder. */
export type ModelOrigin = 'built-in' | 'pack';

/** A model's image input as the pipeline samples it. */
export interface InputProfile extends TensorSpec {
  name: string;
  /** The model takes exactly one image per run (its batch dimension is 1). */
  fixedBatch: boolean;
}

interface ProfileBase {
  id: string;
  description: string;
  origin: ModelOrigin;
  /** The pack's folder name, for models from the models folder. */
  pack?: string;
  input: InputProfile;
}

/** A BlazeFace-family detector: one SSD anchor grid, sigmoid logits, centre/size boxes and keypoints per anchor. */
export interface BlazeFaceProfile extends ProfileBase {
  task: 'detector';
  format: 'blazeface';
  anchors: AnchorConfig;
  /** Keypoints per anchor (6: eyes, nose, mouth centre, ears). */
  keypoints: number;
  /** Output names in manifest order (one [1,N,17] tensor, or scores and boxes). */
  outputNames: string[];
}

/**
 * An InsightFace SCRFD detector: per stride (8, 16, 32) a scores [N,1], a bboxes [N,4] (distances to the box sides
 * in strides) and a kps [N,10] (keypoint offsets in strides) output, `anchorsPerCell` anchors per grid cell.
 */
export interface ScrfdProfile extends ProfileBase {
  task: 'detector';
  format: 'scrfd';
  strides: readonly number[];
  anchorsPerCell: number;
  /** Output names per stride, in `strides` order. */
  outputs: { scores: string[]; bboxes: string[]; kps: string[] };
}

export type DetectorProfile = BlazeFaceProfile | ScrfdProfile;

/** How an embedder's chip is cut: what `ChipEmbedder` needs (align.ts). */
export interface EmbedderGeometry {
  input: InputProfile;
  /** Chip side in pixels (the input's width). */
  chipSize: number;
  /** 'dlib': dlib's chip fitted on 51 of the 68 points; 'five-point': a similarity onto `template` (ArcFace's). */
  alignment: 'dlib' | 'five-point';
  /** dlib's chip padding (0.25 for its ResNet); only for 'dlib'. */
  chipPadding: number;
  /** Where the five points (left eye, right eye, nose, mouth left, mouth right; image left first) sit on the chip. */
  template: Point[];
  /** Each embedding is averaged with its mirror image's by default. */
  mirror: boolean;
}

/** An embedder: which chip it embeds and what comes out. */
export interface EmbedderProfile extends ProfileBase, EmbedderGeometry {
  task: 'embedder';
  /** Embedding dimensions and the output that holds them. */
  dims: number;
  output: { name: string; meaning: string };
  /** Similarity calibration (0.5 at the equal-error distance). */
  calibration: Calibration;
  /** Stored with every embedding: `<id>@<pipeline version>`. */
  version: string;
}

/** A model the plugins run on a face crop (labels, score index and grey weights from its entry). */
export interface CropModelProfile extends ProfileBase {
  task: string;
  labels?: string[];
  scoreIndex?: number;
}

/** What `availableModels` lists per detector or embedder. */
export interface AvailableModel {
  id: string;
  task: 'detector' | 'embedder';
  description: string;
  origin: ModelOrigin;
  pack?: string;
  /** Input side in pixels (detector input, embedder chip). */
  inputSize: number;
  /** Embedding dimensions (embedders). */
  dims?: number;
  /** Embedders: the id stored with their embeddings (`<id>@<pipeline version>`); detectors: `<id>`. */
  version: string;
}

/** Fields the manifest's `extra` may carry for the pipeline (the only place they are read). */
interface Extra {
  anchors?: Partial<AnchorConfig>;
  keypoints?: number;
  format?: 'blazeface' | 'scrfd';
  strides?: number[];
  anchorsPerCell?: number;
  scrfdOutputs?: ScrfdProfile['outputs'];
  grayscale?: [number, number, number];
  alignment?: string;
  chipPadding?: number;
  template?: Point[];
  mirror?: boolean;
  labels?: string[];
  scoreIndex?: number;
  calibration?: Calibration;
}

const extraOf = (info: ModelInfo): Extra => (info.extra ?? {}) as Extra;

/** The sampling spec of a model's image input ([N,H,W,C] or [N,C,H,W]). */
export function inputProfile(info: ModelInfo): InputProfile {
  const s = info.input.shape.map(Number);
  const [height, width] = info.input.layout === 'NHWC' ? [s[1], s[2]] : [s[2], s[3]];
  if (!(height > 0 && width > 0)) throw new RangeError(`model input ${info.input.name} has no fixed size`);
  const { grayscale } = extraOf(info);
  return {
    ...info.input,
    width,
    height,
    fixedBatch: info.input.shape[0] === 1,
    ...(grayscale ? { grayscale } : {}),
  };
}

const base = (id: string, info: ModelInfo): ProfileBase => ({
  id,
  description: info.description ?? id,
  origin: info.pack ? 'pack' : 'built-in',
  ...(info.pack ? { pack: info.pack } : {}),
  input: inputProfile(info),
});

export function detectorProfile(id: string, info: ModelInfo): DetectorProfile {
  const x = extraOf(info);
  const b = base(id, info);
  if (x.format === 'scrfd') {
    if (!x.scrfdOutputs) throw new RangeError(`SCRFD detector ${id} names no outputs per stride`);
    return {
      ...b,
      task: 'detector',
      format: 'scrfd',
      strides: x.strides ?? [8, 16, 32],
      anchorsPerCell: x.anchorsPerCell ?? 2,
      outputs: x.scrfdOutputs,
    };
  }
  const w = b.input.width;
  return {
    ...b,
    task: 'detector',
    format: 'blazeface',
    anchors: {
      inputSize: w,
      strides: x.anchors?.strides ?? [w / 16, w / 8],
      anchorsPerCell: x.anchors?.anchorsPerCell ?? [2, 6],
    },
    keypoints: x.keypoints ?? 6,
    outputNames: info.outputs.map((o) => o.name),
  };
}

/** The chip geometry of an embedder's entry (dlib's 150 px chip unless it says `alignment: 'arcface'` or a template). */
export function embedderGeometry(info: ModelInfo): EmbedderGeometry {
  const x = extraOf(info);
  const input = inputProfile(info);
  const size = input.width;
  const chipPadding = x.chipPadding ?? 0.25;
  return {
    input,
    chipSize: size,
    alignment: x.alignment === 'arcface' || x.template ? 'five-point' : 'dlib',
    chipPadding,
    template:
      x.template ??
      (x.alignment === 'arcface' ? arcfaceFivePointTemplate(size) : dlibFivePointTemplate(size, chipPadding)),
    mirror: x.mirror ?? true,
  };
}

export function embedderProfile(id: string, info: ModelInfo): EmbedderProfile {
  const calibration = extraOf(info).calibration ?? CALIBRATIONS[id];
  if (!calibration) throw new RangeError(`no similarity calibration for embedder ${id}`);
  const output = info.outputs[0];
  return {
    ...base(id, info),
    ...embedderGeometry(info),
    task: 'embedder',
    dims: Number(output.shape.at(-1)),
    output: { name: output.name, meaning: output.meaning },
    calibration,
    version: `${id}@${PIPELINE_VERSION}`,
  };
}

export function cropModelProfile(id: string, info: ModelInfo): CropModelProfile {
  const x = extraOf(info);
  return {
    ...base(id, info),
    task: info.task ?? 'unknown',
    ...(x.labels ? { labels: x.labels } : {}),
    ...(x.scoreIndex !== undefined ? { scoreIndex: x.scoreIndex } : {}),
  };
}

/** The profiles of one catalog, each read once. */
export class ModelProfiles {
  private readonly detectors = new Map<string, DetectorProfile>();
  private readonly embedders = new Map<string, EmbedderProfile>();
  constructor(readonly catalog: ModelCatalog) {}

  private info(id: string, task: string): ModelInfo {
    const m = this.catalog.models[id];
    if (!m) throw new PluginUnavailable(`model ${id} is not built (models/manifest.json) nor a valid pack`);
    if (m.task && m.task !== task) throw new PluginUnavailable(`model ${id} is a ${m.task}, not a ${task}`);
    return m;
  }

  detector(id: string): DetectorProfile {
    let p = this.detectors.get(id);
    if (!p) this.detectors.set(id, (p = detectorProfile(id, this.info(id, 'detector'))));
    return p;
  }

  embedder(id: string): EmbedderProfile {
    let p = this.embedders.get(id);
    if (!p) this.embedders.set(id, (p = embedderProfile(id, this.info(id, 'embedder'))));
    return p;
  }

  /** Built-in detectors and embedders present in the catalog, then the packs', each in id order. */
  available(): { detectors: AvailableModel[]; embedders: AvailableModel[] } {
    const ids = (builtIn: readonly string[], task: string) => [
      ...builtIn.filter((id) => this.catalog.models[id]),
      ...Object.keys(this.catalog.models)
        .filter((id) => this.catalog.models[id].pack && this.catalog.models[id].task === task)
        .sort(),
    ];
    const listing = (p: DetectorProfile | EmbedderProfile): AvailableModel => ({
      id: p.id,
      task: p.task,
      description: p.description,
      origin: p.origin,
      ...(p.pack ? { pack: p.pack } : {}),
      inputSize: p.input.width,
      ...(p.task === 'embedder' ? { dims: p.dims, version: p.version } : { version: p.id }),
    });
    return {
      detectors: ids(BUILT_IN_DETECTORS, 'detector').map((id) => listing(this.detector(id))),
      embedders: ids(BUILT_IN_EMBEDDERS, 'embedder').map((id) => listing(this.embedder(id))),
    };
  }
}

const cache = new WeakMap<ModelCatalog, ModelProfiles>();

/** The profiles of `catalog` (one reader per catalog object). */
export function profilesOf(catalog: ModelCatalog): ModelProfiles {
  let p = cache.get(catalog);
  if (!p) cache.set(catalog, (p = new ModelProfiles(catalog)));
  return p;
}

/** The detectors and embedders a face service may choose from: built-in ones, then valid packs. */
export function availableModels(catalog: ModelCatalog): {
  detectors: AvailableModel[];
  embedders: AvailableModel[];
} {
  return profilesOf(catalog).available();
}
