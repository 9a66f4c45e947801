// The server's face engine run off the request thread: the FaceEngine contract over a pool of worker threads,
// each with its own onnxruntime-node engine, plus decode-and-analyse in the worker (`analyzeBytes`).
import { calibrationFor } from '../../../../shared/engine/calibration.js';
import { profilesOf } from '../../../../shared/engine/profiles.js';
import { calibratedSimilarity, l2distance } from '../../../../shared/engine/similarity.js';
import type { AnalyzeOptions, AnalyzeResult, FaceEngine } from '../../../../shared/engine/types.js';
import type { RawImage } from '../../../../shared/image.js';
import { DEFAULT_MAX_PIXELS, DEFAULT_MAX_SIDE } from '../../image/limits.js';
import { InferencePool, type JobEvent, type PoolOptions, type PoolStats } from './pool.js';
import { owned } from './protocol.js';
import { currentJobScope } from './scope.js';

export { runInJobScope, type JobScope } from './scope.js';
export { WorkerCrashed, type JobEvent, type PoolOptions, type PoolStats, type WorkerEvent } from './pool.js';

export interface PooledEngine extends FaceEngine {
  /** True once every worker has loaded its models, while at least one is up and the pool is not closing. */
  readonly ready: boolean;
  /**
   * Analyses on a worker thread. Ownership of `image.data` passes to the worker when the view spans its whole
   * ArrayBuffer (it is transferred, not copied, and is empty here afterwards); otherwise it is copied.
   * Rejects with `Overloaded` (503) when the queue is full, `WorkerCrashed` if the worker dies meanwhile; the
   * current job scope (`runInJobScope`) adds `TooManyJobs` (429, the key's share is held) and `RequestCancelled`.
   */
  analyze(image: RawImage, opts?: AnalyzeOptions): Promise<AnalyzeResult>;
  /**
   * Decodes the encoded image (jpeg, png, webp, gif, tiff, bmp, ico) and analyses it, both on a worker thread;
   * decode errors are `UnsupportedImage` as with `decodeImage`. The caller keeps its bytes (a copy travels:
   * services store them after analysis; encoded images are small next to their pixels).
   */
  analyzeBytes(
    bytes: Uint8Array,
    opts?: AnalyzeOptions,
    decode?: { maxPixels?: number; maxSide?: number; maxImageSide?: number },
  ): Promise<AnalyzeResult>;
  stats(): PoolStats;
  /** Calls `listener` after every job (timings and stages, for metrics); returns the unsubscribe function. */
  onJob(listener: (e: JobEvent) => void): () => void;
}

/** Starts the workers and resolves when every one has loaded the models; rejects if any cannot. */
export async function createPooledEngine(opts: PoolOptions): Promise<PooledEngine> {
  const pool = new InferencePool(opts);
  await pool.start();
  const info = pool.info!;
  // `model@pipelineVersion`: the calibration is the model's (shared/engine/engine.ts names it so), a pack's from its profile.
  const model = info.embedderId.replace(/@[^@]*$/, '');
  const calibration = opts.models
    ? profilesOf(opts.models.catalog).embedder(model).calibration
    : calibrationFor(model);
  // libvips stops a decode itself at half the job's limit (a clean 400); the pool's limit replaces the worker.
  const decodeTimeoutSeconds = opts.jobTimeoutMs ? Math.max(1, Math.floor(opts.jobTimeoutMs / 2000)) : 0;
  return {
    embedderId: info.embedderId,
    embeddingSize: info.embeddingSize,
    embedders: info.embedders,
    versions: info.versions,
    get ready() {
      return pool.ready;
    },
    analyze: (image, o = {}) =>
      pool.run({ kind: 'analyze', image: { ...image, data: owned(image.data) }, opts: o }, currentJobScope()),
    analyzeBytes: (bytes, o = {}, decode = {}) =>
      pool.run(
        {
          kind: 'analyzeBytes',
          bytes: bytes.slice(),
          maxPixels: decode.maxPixels ?? DEFAULT_MAX_PIXELS,
          maxSide: decode.maxSide ?? 0,
          maxImageSide: decode.maxImageSide ?? DEFAULT_MAX_SIDE,
          decodeTimeoutSeconds,
          opts: o,
        },
        currentJobScope(),
      ),
    similarity: (a, b) => calibratedSimilarity(l2distance(a, b), calibration),
    stats: () => pool.stats(),
    onJob: (listener) => pool.onJob(listener),
    dispose: () => pool.close(),
  };
}
