// BrowserEngine: the shared FaceEngine contract on the page, with the pipeline running in engine.worker.ts.
// One instance owns one worker; requests are answered in order over the typed protocol (protocol.ts).
import { calibratedSimilarity, l2distance } from '../../../../shared/engine/similarity.js';
import type { AnalyzeOptions, AnalyzeResult, FaceEngine } from '../../../../shared/engine/types.js';
import type { RawImage } from '../../../../shared/image.js';
import type { Candidate } from '../../../../shared/engine/nms.js';
import type {
  EngineImage,
  EngineInfo,
  EngineOptions,
  EngineRequest,
  EngineResponse,
  LocatorName,
} from './protocol.js';

export type { EngineInfo, EngineOptions, LocatorName } from './protocol.js';
export { describeChoice } from './ort.js';

/** An error raised in the worker, with the domain error's name and CompreFace code when it had one. */
export class EngineError extends Error {
  constructor(
    name: string,
    message: string,
    readonly code?: number,
  ) {
    super(message);
    this.name = name;
  }
}

type Pending = { resolve: (r: EngineResponse) => void; reject: (e: Error) => void };
type Payload = EngineRequest extends infer R ? (R extends EngineRequest ? Omit<R, 'id'> : never) : never;

export class BrowserEngine implements FaceEngine {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private constructor(
    private readonly worker: Worker,
    readonly info: EngineInfo,
  ) {}

  /** Starts the worker, loads onnxruntime-web and the core models (from the cache after the first visit). */
  static async create(options: EngineOptions = {}): Promise<BrowserEngine> {
    const worker = new Worker(new URL('./engine.worker.ts', import.meta.url), {
      type: 'module',
      name: 'visor-engine',
    });
    const ready = await new Promise<EngineResponse>((resolve, reject) => {
      worker.onmessage = (e: MessageEvent<EngineResponse>) => resolve(e.data);
      worker.onerror = (e) => reject(new EngineError('WorkerError', e.message || 'the engine worker failed'));
      worker.postMessage({ id: 0, type: 'init', options } satisfies EngineRequest);
    }).catch((e: unknown) => {
      worker.terminate();
      throw e;
    });
    if (ready.type !== 'ready') {
      worker.terminate();
      throw ready.type === 'error'
        ? new EngineError(ready.error.name, ready.error.message, ready.error.code)
        : new EngineError('ProtocolError', `unexpected ${ready.type} during init`);
    }
    const engine = new BrowserEngine(worker, ready.info);
    worker.onmessage = (e: MessageEvent<EngineResponse>) => engine.settle(e.data);
    worker.onerror = (e) =>
      engine.fail(new EngineError('WorkerError', e.message || 'the engine worker failed'));
    return engine;
  }

  get embedderId(): string {
    return this.info.embedderId;
  }
  get embeddingSize(): number {
    return this.info.embeddingSize;
  }
  get versions(): Record<string, string> {
    return this.info.versions;
  }

  /**
   * Analyses decoded pixels: copied to the worker, or with `transfer` moved there (the caller's buffer is then
   * detached: the kiosk's fresh crops).
   */
  analyze(image: RawImage, opts: AnalyzeOptions = {}, transfer = false): Promise<AnalyzeResult> {
    return this.analyzeInput(
      { kind: 'raw', image },
      opts,
      transfer ? [image.data.buffer as ArrayBuffer] : [],
    );
  }

  /** Analyses a bitmap (a video frame, a decoded file); it is transferred to the worker and closed there. */
  analyzeBitmap(bitmap: ImageBitmap, opts: AnalyzeOptions = {}): Promise<AnalyzeResult> {
    return this.analyzeInput({ kind: 'bitmap', bitmap }, opts, [bitmap]);
  }

  /**
   * Quick face location for live video: each RGBA image (`info.locators[locator]` pixels square, its buffer
   * transferred) through one BlazeFace model, nothing else; per image its faces over the raw score `minScore`, in
   * input pixels, best first, and the worker's milliseconds.
   */
  async locate(
    locator: LocatorName,
    images: RawImage[],
    minScore: number,
  ): Promise<{ faces: Candidate[][]; ms: number }> {
    const transfer = images.map((i) => i.data.buffer as ArrayBuffer);
    const res = await this.request({ type: 'locate', locator, images, minScore }, transfer);
    if (res.type !== 'located') throw new EngineError('ProtocolError', `unexpected ${res.type}`);
    return { faces: res.faces, ms: res.ms };
  }

  similarity(a: Float32Array, b: Float32Array): number {
    return calibratedSimilarity(l2distance(a, b), this.info.calibration);
  }

  async dispose(): Promise<void> {
    await this.request({ type: 'dispose' }).catch(() => undefined);
    this.worker.terminate();
    this.fail(new EngineError('Disposed', 'the engine was disposed'));
  }

  private async analyzeInput(
    input: EngineImage,
    options: AnalyzeOptions,
    transfer: Transferable[] = [],
  ): Promise<AnalyzeResult> {
    const res = await this.request({ type: 'analyze', input, options }, transfer);
    if (res.type !== 'result') throw new EngineError('ProtocolError', `unexpected ${res.type}`);
    return res.result;
  }

  private request(payload: Payload, transfer: Transferable[] = []): Promise<EngineResponse> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...payload, id } as EngineRequest, transfer);
    });
  }

  private settle(res: EngineResponse): void {
    const p = this.pending.get(res.id);
    if (!p) return;
    this.pending.delete(res.id);
    if (res.type === 'error') p.reject(new EngineError(res.error.name, res.error.message, res.error.code));
    else p.resolve(res);
  }

  private fail(error: Error): void {
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }
}
