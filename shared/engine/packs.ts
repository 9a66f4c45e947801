// Model packs (bring your own ONNX): how a file in the models folder becomes a manifest entry. InsightFace-format
// files are recognised by name (SCRFD `det_*.onnx` / `scrfd_*.onnx`, ArcFace `w600k_*.onnx` / `glintr100.onnx`);
// any other embedder or SCRFD detector is described by `<model>.json` next to it. Pure: the server's loader
// (server/src/inference/packs.ts) reads the files, opens them with onnxruntime and checks them with these functions.
import type { ModelInfo } from './manifest.js';
import type { Calibration } from './similarity.js';
import type { Point } from './types.js';

/** A pack model that cannot be used: the message names the file and what is wrong. */
export class PackError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = 'PackError';
  }
}

/**
 * InsightFace's conventions (python-package insightface/model_zoo): SCRFD sees RGB (pixel - 127.5) / 128 at 640x640
 * by default, strides 8/16/32 with two anchors each; ArcFace sees the RGB 112x112 five-point crop (face_align
 * norm_crop, `arcface_dst`) as (pixel - 127.5) / 127.5 and is not run on a mirrored copy.
 */
export const INSIGHTFACE = {
  scrfd: { size: 640, mean: 127.5, std: 128, strides: [8, 16, 32], anchorsPerCell: 2 },
  arcface: { size: 112, mean: 127.5, std: 127.5 },
} as const;

/**
 * Similarity scale of a pack embedder whose JSON gives none: the built-in ArcFace's (calibration.ts), a stand-in
 * until `npm run eval` fits the pack's own (then set `calibration` in the JSON).
 */
export const DEFAULT_PACK_CALIBRATION: Calibration = { c0: 1.2165, c1: 22.02 };

/** What a `<model>.json` next to an ONNX file says (see README "Your own models"). */
export interface PackModelDescription {
  task: 'embedder' | 'detector';
  description?: string;
  input: {
    /** [width, height] in pixels. */
    size: [number, number];
    layout?: 'NCHW' | 'NHWC';
    colorOrder: 'RGB' | 'BGR';
    /** The model sees (pixel - mean) / std, pixels 0..255, per channel in the model's order (or one number). */
    mean: number | [number, number, number];
    std: number | [number, number, number];
  };
  /** Embedders: 'arcface' (InsightFace's 112 px five-point template, scaled), 'dlib' or five [x, y] chip points. */
  alignment?: 'arcface' | 'dlib' | Point[];
  /** Embedders: average with the mirror image's embedding (default false). */
  mirror?: boolean;
  /** Embedders: the embedding output's size (and name, default the first output). */
  output?: { dims: number; name?: string };
  /** Detectors: 'scrfd' (the only format a JSON may describe). */
  format?: 'scrfd';
  calibration?: Calibration;
}

/** What the loader does with a file, from its name and its JSON. */
export type PackFileKind = 'scrfd' | 'arcface' | 'described' | 'ignored';

export function packFileKind(file: string, hasJson: boolean): PackFileKind {
  if (hasJson) return 'described';
  const name = file.toLowerCase();
  if (/^(det_|scrfd_).*\.onnx$/.test(name)) return 'scrfd';
  if (/^(w600k_.*|glintr100)\.onnx$/.test(name)) return 'arcface';
  return 'ignored';
}

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9_-]+/g, '-');

/** The model id (`<pack>.<file stem>`) and the name it is served under at /models/ (`pack.<pack>.<file>`). */
export function packNames(pack: string, file: string): { id: string; served: string } {
  const stem = file.replace(/\.onnx$/i, '');
  return { id: `${slug(pack)}.${slug(stem)}`, served: `pack.${slug(pack)}.${slug(stem)}.onnx` };
}

const triple = (v: number | [number, number, number]): [number, number, number] =>
  typeof v === 'number' ? [v, v, v] : v;

function imageInput(
  name: string,
  width: number,
  height: number,
  layout: 'NCHW' | 'NHWC',
  colorOrder: 'RGB' | 'BGR',
  mean: number | [number, number, number],
  std: number | [number, number, number],
  batch: number | string = 1,
): ModelInfo['input'] {
  return {
    name,
    shape: layout === 'NCHW' ? [batch, 3, height, width] : [batch, height, width, 3],
    layout,
    colorOrder,
    mean: triple(mean),
    std: triple(std),
  };
}

/** An InsightFace ArcFace embedder's entry (its output size is filled in by `withEmbedderOutput`). */
export function arcfaceEntry(pack: string, file: string): ModelInfo {
  const { id, served } = packNames(pack, file);
  const a = INSIGHTFACE.arcface;
  return {
    id,
    file: served,
    pack,
    task: 'embedder',
    description: `${file} from pack ${pack} (InsightFace ArcFace, 112x112 five-point crop)`,
    input: imageInput('input', a.size, a.size, 'NCHW', 'RGB', a.mean, a.std),
    outputs: [{ name: '', shape: [1, 0], meaning: 'embedding (L2-normalised by the engine)' }],
    extra: { alignment: 'arcface', mirror: false, calibration: DEFAULT_PACK_CALIBRATION },
  };
}

/** An InsightFace SCRFD detector's entry (its outputs per stride are filled in by `withScrfdOutputs`). */
export function scrfdEntry(pack: string, file: string, size: number = INSIGHTFACE.scrfd.size): ModelInfo {
  const { id, served } = packNames(pack, file);
  const s = INSIGHTFACE.scrfd;
  return {
    id,
    file: served,
    pack,
    task: 'detector',
    description: `${file} from pack ${pack} (InsightFace SCRFD, five keypoints)`,
    input: imageInput('input', size, size, 'NCHW', 'RGB', s.mean, s.std),
    outputs: [],
    extra: { format: 'scrfd', strides: [...s.strides], anchorsPerCell: s.anchorsPerCell },
  };
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isTriple = (v: unknown) => isNum(v) || (Array.isArray(v) && v.length === 3 && v.every(isNum));

/** The entry a `<model>.json` describes; every missing or wrong field is named in one PackError. */
export function describedEntry(pack: string, file: string, json: unknown): ModelInfo {
  const jsonFile = file.replace(/\.onnx$/i, '.json');
  const problems: string[] = [];
  const d = (typeof json === 'object' && json !== null ? json : {}) as Partial<PackModelDescription>;
  const input = (typeof d.input === 'object' && d.input !== null ? d.input : {}) as Partial<
    PackModelDescription['input']
  >;
  if (d.task !== 'embedder' && d.task !== 'detector')
    problems.push('task: expected "embedder" or "detector"');
  const size = input.size;
  if (!(Array.isArray(size) && size.length === 2 && size.every((v) => isNum(v) && v > 0 && v % 1 === 0)))
    problems.push('input.size: expected [width, height] in pixels');
  if (input.layout !== undefined && input.layout !== 'NCHW' && input.layout !== 'NHWC')
    problems.push('input.layout: expected "NCHW" or "NHWC"');
  if (input.colorOrder !== 'RGB' && input.colorOrder !== 'BGR')
    problems.push('input.colorOrder: expected "RGB" or "BGR"');
  if (!isTriple(input.mean)) problems.push('input.mean: expected a number or three');
  if (!isTriple(input.std) || [input.std].flat().some((v) => v === 0))
    problems.push('input.std: expected a non-zero number or three');
  const alignment = d.alignment;
  if (d.task === 'embedder') {
    const template =
      Array.isArray(alignment) &&
      alignment.length === 5 &&
      alignment.every((p) => Array.isArray(p) && p.length === 2 && p.every(isNum));
    if (alignment !== 'arcface' && alignment !== 'dlib' && !template)
      problems.push('alignment: expected "arcface", "dlib" or five [x, y] chip points');
    if (!(isNum(d.output?.dims) && d.output.dims > 0))
      problems.push('output.dims: expected the embedding size');
    if (d.mirror !== undefined && typeof d.mirror !== 'boolean')
      problems.push('mirror: expected true or false');
  }
  if (d.task === 'detector' && d.format !== 'scrfd') problems.push('format: expected "scrfd"');
  const c = d.calibration;
  if (c !== undefined && !(isNum(c?.c0) && isNum(c?.c1))) problems.push('calibration: expected {c0, c1}');
  if (problems.length) throw new PackError(jsonFile, problems.join('; '));

  const [width, height] = size!;
  const layout = input.layout ?? 'NCHW';
  const { id, served } = packNames(pack, file);
  const base = {
    id,
    file: served,
    pack,
    description: d.description ?? `${file} from pack ${pack}`,
    input: imageInput('input', width, height, layout, input.colorOrder!, input.mean!, input.std!),
  };
  if (d.task === 'detector') {
    const s = INSIGHTFACE.scrfd;
    return {
      ...base,
      task: 'detector',
      outputs: [],
      extra: { format: 'scrfd', strides: [...s.strides], anchorsPerCell: s.anchorsPerCell },
    };
  }
  return {
    ...base,
    task: 'embedder',
    outputs: [{ name: d.output!.name ?? '', shape: [1, d.output!.dims], meaning: 'embedding' }],
    extra: {
      ...(Array.isArray(alignment) ? { template: alignment } : { alignment }),
      mirror: d.mirror ?? false,
      calibration: d.calibration ?? DEFAULT_PACK_CALIBRATION,
    },
  };
}

/** A tensor's name and shape as onnxruntime reports it (numbers, or strings for symbolic dimensions). */
export interface ValueShape {
  name: string;
  shape: readonly (number | string)[];
}

/** Checks the model's one image input against the entry and takes its name and batch dimension. */
export function withInput(entry: ModelInfo, file: string, inputs: readonly ValueShape[]): ModelInfo {
  if (inputs.length !== 1) throw new PackError(file, `expected one image input, found ${inputs.length}`);
  const [input] = inputs;
  const want = entry.input.shape;
  const got = input.shape;
  // a model whose metadata gives no shape is checked by the test run instead
  const fits =
    got.length === 0 ||
    (got.length === 4 && got.every((g, i) => i === 0 || typeof g !== 'number' || g < 0 || g === want[i]));
  if (!fits)
    throw new PackError(
      file,
      `input ${input.name} has shape [${got.join(', ')}], expected [${want.join(', ')}]`,
    );
  const batch = typeof got[0] === 'number' && got[0] > 0 ? got[0] : 'batch';
  if (typeof batch === 'number' && batch !== 1)
    throw new PackError(file, `input ${input.name} has a fixed batch of ${batch}, expected 1 or dynamic`);
  return { ...entry, input: { ...entry.input, name: input.name, shape: [batch, ...want.slice(1)] } };
}

/** Takes the embedding output from a test run's outputs (`dims` given by the JSON is checked). */
export function withEmbedderOutput(
  entry: ModelInfo,
  file: string,
  outputs: readonly { name: string; dims: readonly number[]; data: Float32Array }[],
): ModelInfo {
  const wanted = entry.outputs[0];
  const out = wanted.name ? outputs.find((o) => o.name === wanted.name) : outputs[0];
  if (!out) throw new PackError(file, `has no output named ${wanted.name}`);
  const dims = out.dims.at(-1) ?? 0;
  const size = out.dims.reduce((a, b) => a * b, 1);
  if (out.dims.length < 1 || size !== dims)
    throw new PackError(file, `output ${out.name} has shape [${out.dims.join(', ')}], expected [1, N]`);
  const expected = Number(wanted.shape.at(-1));
  if (expected > 0 && dims !== expected)
    throw new PackError(file, `output ${out.name} has ${dims} values, the JSON says output.dims ${expected}`);
  if (!out.data.every(Number.isFinite))
    throw new PackError(file, `output ${out.name} is not finite on a test image`);
  return {
    ...entry,
    outputs: [{ name: out.name, shape: [1, dims], meaning: `${dims}-d face embedding` }],
  };
}

/**
 * Assigns a test run's outputs to SCRFD's strides by their sizes: per stride s, N = (W/s)·(H/s)·anchors rows of 1
 * (scores), 4 (box distances) and 10 (keypoints) values, as [N, k] or [1, N, k].
 */
export function withScrfdOutputs(
  entry: ModelInfo,
  file: string,
  outputs: readonly { name: string; dims: readonly number[] }[],
): ModelInfo {
  const extra = entry.extra as { strides: number[]; anchorsPerCell: number };
  const [, , height, width] = entry.input.shape.map(Number);
  const find = (n: number, k: number, what: string, stride: number) => {
    const o = outputs.find((t) => t.dims.at(-1) === k && t.dims.reduce((a, b) => a * b, 1) === n * k);
    if (!o)
      throw new PackError(
        file,
        `no ${what} output [${n}, ${k}] for stride ${stride} at ${width}x${height} (outputs: ${outputs
          .map((t) => `${t.name} [${t.dims.join(', ')}]`)
          .join(', ')})`,
      );
    return o;
  };
  const names = { scores: [] as string[], bboxes: [] as string[], kps: [] as string[] };
  const described: ModelInfo['outputs'] = [];
  for (const stride of extra.strides) {
    const n = Math.floor(width / stride) * Math.floor(height / stride) * extra.anchorsPerCell;
    const parts = [
      ['scores', 1, 'face probability per anchor'],
      ['bboxes', 4, 'distances to the box sides, in strides'],
      ['kps', 10, 'five keypoint offsets, in strides'],
    ] as const;
    for (const [key, k, meaning] of parts) {
      const o = find(n, k, key, stride);
      names[key].push(o.name);
      described.push({ name: o.name, shape: [...o.dims], meaning: `stride ${stride}: ${meaning}` });
    }
  }
  return { ...entry, outputs: described, extra: { ...entry.extra, scrfdOutputs: names } };
}
