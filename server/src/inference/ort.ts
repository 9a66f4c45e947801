// The server's one onnxruntime-node gateway: a SessionProvider over models/manifest.json with cached sessions.
import { availableParallelism } from 'node:os';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { ModelCatalog } from '../../../shared/engine/manifest.js';
import type { ModelSession, SessionProvider, Tensor } from '../../../shared/engine/session.js';
import { NotReady } from '../../../shared/errors.js';

export interface OrtOptions {
  /** Threads per operator; default: every core up to 4 (more rarely helps models this small). */
  intraOpThreads?: number;
}

export async function readManifest(modelsDir: string): Promise<ModelCatalog> {
  try {
    return JSON.parse(await readFile(join(modelsDir, 'manifest.json'), 'utf8')) as ModelCatalog;
  } catch (e) {
    throw new NotReady(`cannot read ${join(modelsDir, 'manifest.json')}: ${(e as Error).message}`);
  }
}

class OrtSession implements ModelSession {
  constructor(readonly session: ort.InferenceSession) {}
  get inputNames(): readonly string[] {
    return this.session.inputNames;
  }
  get outputNames(): readonly string[] {
    return this.session.outputNames;
  }
  async run(feeds: Record<string, Tensor>): Promise<Record<string, Tensor>> {
    const inputs: Record<string, ort.Tensor> = {};
    for (const [name, t] of Object.entries(feeds)) inputs[name] = new ort.Tensor('float32', t.data, t.dims);
    const results = await this.session.run(inputs);
    const out: Record<string, Tensor> = {};
    for (const [name, t] of Object.entries(results)) {
      out[name] = { data: t.data as Float32Array, dims: [...t.dims] };
      t.dispose?.();
    }
    return out;
  }
}

export class OrtSessionProvider implements SessionProvider {
  private readonly sessions = new Map<string, Promise<OrtSession>>();
  constructor(
    private readonly modelsDir: string,
    readonly manifest: ModelCatalog,
    private readonly opts: OrtOptions = {},
  ) {}

  load(modelId: string): Promise<ModelSession> {
    let s = this.sessions.get(modelId);
    if (!s) {
      s = this.create(modelId);
      void s.catch(() => this.sessions.delete(modelId));
      this.sessions.set(modelId, s);
    }
    return s;
  }

  private async create(modelId: string): Promise<OrtSession> {
    const entry = this.manifest.models[modelId];
    if (!entry) throw new NotReady(`model ${modelId} is not in the manifest`);
    const session = await ort.InferenceSession.create(join(this.modelsDir, entry.file), {
      graphOptimizationLevel: 'all',
      intraOpNumThreads: this.opts.intraOpThreads ?? Math.min(4, availableParallelism()),
      interOpNumThreads: 1,
      executionMode: 'sequential',
    });
    return new OrtSession(session);
  }

  async dispose(): Promise<void> {
    const all = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.allSettled(all.map(async (s) => (await s).session.release()));
  }
}
