// What a model entry says about itself: the converter builds it, the manifest publishes it, the engine reads it.

export type ModelTask =
  | 'detector'
  | 'embedder'
  | 'landmarks'
  | 'mesh'
  | 'iris'
  | 'age'
  | 'gender'
  | 'age-gender'
  | 'emotion'
  | 'liveness'
  | 'antispoof'
  | 'attributes';

export interface ModelInput {
  name: string;
  /** Shape with the batch dimension first; -1 (or 'batch') for a dynamic size. */
  shape: (number | string)[];
  layout: 'NHWC' | 'NCHW';
  colorOrder: 'RGB' | 'BGR';
  /** The model sees `(pixel - mean) / std` per channel, pixels in 0..255. */
  mean: [number, number, number];
  std: [number, number, number];
}

export interface ModelOutput {
  name: string;
  shape: (number | string)[];
  meaning: string;
}

export interface ModelSource {
  package: string;
  version: string;
  /** Paths inside the package that the conversion reads (their hashes key the build cache). */
  files: string[];
}

export interface ModelSpec {
  id: string;
  task: ModelTask;
  description: string;
  license: string;
  source: ModelSource;
  input: ModelInput;
  outputs: ModelOutput[];
  dependsOn?: string[];
  /** Anything else the engine needs (anchors, labels, crop geometry…), published as-is in the manifest. */
  extra?: Record<string, unknown>;
  /** Produces the ONNX bytes; `packageRoot` is the installed source package's directory. */
  convert(packageRoot: string): Promise<Uint8Array> | Uint8Array;
}

/** A manifest entry: the spec without its converter, plus the file and its hash. */
export type ManifestEntry = Omit<ModelSpec, 'convert'> & { file: string; sha256: string; bytes: number };

export interface Manifest {
  converterVersion: string;
  opset: number;
  models: Record<string, ManifestEntry>;
}
