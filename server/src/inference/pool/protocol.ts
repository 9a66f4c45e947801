// The typed message protocol between the inference pool and its worker threads, and the helpers both
// sides use: transfer lists (pixels and embeddings move, they are not copied) and errors across threads.
import * as errors from '../../../../shared/errors.js';
import type { EmbedderInfo } from '../../../../shared/engine/embedders.js';
import type { AnalyzeOptions, AnalyzeResult } from '../../../../shared/engine/types.js';
import type { RawImage } from '../../../../shared/image.js';
import type { ModelSet } from '../packs.js';

/** What the pool puts in `workerData`. */
export interface WorkerInit {
  /** The worker module (file URL): TypeScript, loaded after tsx is registered, or the built worker.js. */
  entry: string;
  intraOpThreads: number;
  modelsDir?: string;
  /** The catalog with the valid model packs and where their files are (validated once, by the main thread). */
  models?: Pick<ModelSet, 'catalog' | 'files'>;
}

export type Job =
  | { kind: 'analyze'; image: RawImage; opts: AnalyzeOptions }
  | {
      kind: 'analyzeBytes';
      bytes: Uint8Array;
      maxPixels: number;
      maxSide: number;
      /** Longest side the header may claim (decode cost). */
      maxImageSide: number;
      /** libvips' own decode time limit in whole seconds (0: none); the pool's job limit is the hard one. */
      decodeTimeoutSeconds: number;
      opts: AnalyzeOptions;
    };

export type ToWorker = { type: 'job'; id: number; job: Job } | { type: 'close' };

export interface EngineInfo {
  embedderId: string;
  embeddingSize: number;
  embedders?: readonly EmbedderInfo[];
  versions: Record<string, string>;
}

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
}

export type FromWorker =
  | { type: 'ready'; info: EngineInfo }
  | { type: 'loadFailed'; error: SerializedError }
  | {
      type: 'done';
      id: number;
      result: AnalyzeResult;
      /** Decode milliseconds when the worker decoded the bytes (`analyzeBytes`). */
      decodeMs?: number;
    }
  | { type: 'failed'; id: number; error: SerializedError }
  | { type: 'closed' };

/** The view's buffer when transferring it moves exactly the view (no shared pool slab, no SharedArrayBuffer). */
export function ownBuffer(view: ArrayBufferView): ArrayBuffer | undefined {
  const buf = view.buffer;
  if (!(buf instanceof ArrayBuffer)) return undefined;
  return view.byteOffset === 0 && view.byteLength === buf.byteLength ? buf : undefined;
}

/** A view that owns its whole buffer: the view itself when it does, else a copy (small inputs, pooled Buffers). */
export function owned<T extends Uint8Array | Uint8ClampedArray>(view: T): T {
  return ownBuffer(view) ? view : (view.slice() as T);
}

/** Transfer list for a job: the pixels or the encoded bytes. */
export function jobTransfer(job: Job): ArrayBuffer[] {
  const buf = ownBuffer(job.kind === 'analyze' ? job.image.data : job.bytes);
  return buf ? [buf] : [];
}

/** Transfer list for a result: every embedding that owns its buffer. */
export function resultTransfer(result: AnalyzeResult): ArrayBuffer[] {
  const list: ArrayBuffer[] = [];
  for (const face of result.faces) {
    const buf = face.embedding && ownBuffer(face.embedding);
    if (buf && !list.includes(buf)) list.push(buf);
  }
  return list;
}

export function serializeError(e: unknown): SerializedError {
  if (e instanceof Error) return { name: e.name, message: e.message, stack: e.stack };
  return { name: 'Error', message: String(e) };
}

type ErrorClass = new (message: string) => errors.VisorError;
const VISOR_ERRORS = new Map<string, ErrorClass>();
for (const value of Object.values(errors) as unknown[])
  if (typeof value === 'function' && value.prototype instanceof errors.VisorError)
    VISOR_ERRORS.set(value.name, value as ErrorClass);

/**
 * The error the worker threw, rebuilt on this side: a named domain error (`UnsupportedImage`,
 * `PluginUnavailable`…) becomes the same class with the same message, so the HTTP layer maps it as usual.
 */
export function deserializeError(s: SerializedError): Error {
  const cls = VISOR_ERRORS.get(s.name);
  // Constructors differ (some take a subject, a field…); build one, then restore the worker's message.
  const err: Error = cls ? new cls(s.message) : new Error(s.message);
  err.message = s.message;
  if (!cls) err.name = s.name;
  if (s.stack) err.stack = s.stack;
  return err;
}
