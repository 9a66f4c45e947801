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

/** What a gateway needs of an onnxruntime tensor (onnxruntime-node's and onnxruntime-web's both fit). */
export interface OrtTensorLike {
  readonly data: unknown;
  readonly dims: readonly number[];
}

/** What a gateway needs of an onnxruntime InferenceSession. */
export interface OrtSessionLike<T extends OrtTensorLike> {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, T>): Promise<Record<string, T>>;
  release(): Promise<void>;
}

/** The runtime's float32 Tensor constructor, passed in so that shared/ never imports onnxruntime. */
export type OrtTensorConstructor<T> = new (type: 'float32', data: Float32Array, dims: readonly number[]) => T;

/**
 * A ModelSession over an onnxruntime session: wraps the feeds in the runtime's tensors and reads each output
 * back as plain Float32Array data with `read` (which may download it from a GPU or release it).
 */
export class OrtModelSession<T extends OrtTensorLike> implements ModelSession {
  constructor(
    readonly session: OrtSessionLike<T>,
    private readonly Tensor: OrtTensorConstructor<T>,
    private readonly read: (t: T) => Float32Array | Promise<Float32Array>,
  ) {}
  get inputNames(): readonly string[] {
    return this.session.inputNames;
  }
  get outputNames(): readonly string[] {
    return this.session.outputNames;
  }
  async run(feeds: Record<string, Tensor>): Promise<Record<string, Tensor>> {
    const inputs: Record<string, T> = {};
    for (const [name, t] of Object.entries(feeds)) inputs[name] = new this.Tensor('float32', t.data, t.dims);
    const results = await this.session.run(inputs);
    const out: Record<string, Tensor> = {};
    for (const [name, t] of Object.entries(results))
      out[name] = { data: await this.read(t), dims: [...t.dims] };
    return out;
  }
}

/**
 * The sessions a gateway has opened, one per model id: `load` opens a model once (a failed open is forgotten,
 * so the next load tries again) and `dispose` releases them all.
 */
export class SessionCache<S extends { session: { release(): Promise<void> } }> {
  private readonly sessions = new Map<string, Promise<S>>();
  constructor(private readonly open: (modelId: string) => Promise<S>) {}

  load(modelId: string): Promise<S> {
    let s = this.sessions.get(modelId);
    if (!s) {
      s = this.open(modelId);
      void s.catch(() => this.sessions.delete(modelId));
      this.sessions.set(modelId, s);
    }
    return s;
  }

  async dispose(): Promise<void> {
    const all = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.allSettled(all.map(async (s) => (await s).session.release()));
  }
}
