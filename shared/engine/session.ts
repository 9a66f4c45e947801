// The tiny inference-session contract the pipeline runs models through; each side (node, browser) implements it once.

export interface Tensor {
  data: Float32Array;
  dims: number[];
}

export interface ModelSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, Tensor>): Promise<Record<string, Tensor>>;
}

/** Loads a model by its manifest id (models/manifest.json); the gateway caches sessions. */
export interface SessionProvider {
  load(modelId: string): Promise<ModelSession>;
}
