// The server's one onnxruntime-node gateway: a SessionProvider over models/manifest.json with cached sessions.
import { availableParallelism } from 'node:os';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { ModelCatalog } from '../../../shared/engine/manifest.js';
import type { ValueShape } from '../../../shared/engine/packs.js';
import {
  OrtModelSession,
  SessionCache,
  type ModelSession,
  type SessionProvider,
} from '../../../shared/engine/session.js';
import { NotReady } from '../../../shared/errors.js';

export interface OrtOptions {
  /**
   * Threads per operator; default: half the cores, 1 to 4. The other half is left to the JavaScript pre-processing
   * and sharp, which run between model calls: on 2 cores one thread analysed the small bench photo in 40 ms of
   * 42 ms CPU, two threads in 48 ms of 67 ms CPU (2026-11-28).
   */
  intraOpThreads?: number;
}

export async function readManifest(modelsDir: string): Promise<ModelCatalog> {
  try {
    return JSON.parse(await readFile(join(modelsDir, 'manifest.json'), 'utf8')) as ModelCatalog;
  } catch (e) {
    throw new NotReady(`cannot read ${join(modelsDir, 'manifest.json')}: ${(e as Error).message}`);
  }
}

/** Output tensors come back as plain data; the runtime's tensor is released at once. */
function readOutput(t: ort.Tensor): Float32Array {
  const data = t.data as Float32Array;
  t.dispose?.();
  return data;
}

/** An opened ONNX file's inputs and outputs as onnxruntime reports them, and a session to test-run it. */
export interface OnnxProbe {
  inputs: ValueShape[];
  outputs: ValueShape[];
  session: ModelSession;
  release(): Promise<void>;
}

/** Opens any ONNX file (a model pack's) on one thread; rejects when onnxruntime cannot load it. */
export async function probeOnnx(path: string): Promise<OnnxProbe> {
  const session = await ort.InferenceSession.create(path, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  const shapes = (meta: readonly ort.InferenceSession.ValueMetadata[]): ValueShape[] =>
    meta.map((m) => ({ name: m.name, shape: m.isTensor ? [...m.shape] : [] }));
  return {
    inputs: shapes(session.inputMetadata),
    outputs: shapes(session.outputMetadata),
    session: new OrtModelSession(session, ort.Tensor, readOutput),
    release: () => session.release(),
  };
}

export class OrtSessionProvider implements SessionProvider {
  private readonly sessions = new SessionCache((modelId) => this.create(modelId));
  constructor(
    private readonly modelsDir: string,
    readonly manifest: ModelCatalog,
    private readonly opts: OrtOptions = {},
    /** Absolute paths of files outside `modelsDir` by their served name (model packs, server/src/inference/packs.ts). */
    private readonly files: Readonly<Record<string, string>> = {},
  ) {}

  load(modelId: string): Promise<ModelSession> {
    return this.sessions.load(modelId);
  }

  private async create(modelId: string): Promise<OrtModelSession<ort.Tensor>> {
    const entry = this.manifest.models[modelId];
    if (!entry) throw new NotReady(`model ${modelId} is not in the manifest`);
    const session = await ort.InferenceSession.create(
      this.files[entry.file] ?? join(this.modelsDir, entry.file),
      {
        graphOptimizationLevel: 'all',
        intraOpNumThreads:
          this.opts.intraOpThreads ?? Math.min(4, Math.max(1, Math.floor(availableParallelism() / 2))),
        interOpNumThreads: 1,
        executionMode: 'sequential',
        // Idle intra-op threads sleep instead of spinning: spinning ones steal the cores the JS pre-processing, sharp
        // and the other workers need (measured on 2 cores: small photo 28 ms spinning, 14 ms not, 16.5 ms on 1 thread).
        extra: { session: { intra_op: { allow_spinning: '0' } } },
      },
    );
    return new OrtModelSession(session, ort.Tensor, readOutput);
  }

  dispose(): Promise<void> {
    return this.sessions.dispose();
  }
}
