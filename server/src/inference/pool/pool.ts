// A pool of inference worker threads with a bounded queue: each worker runs one job at a time, jobs go to
// an idle worker at once or wait in a FIFO queue; a full queue answers `Overloaded`; a worker that dies fails
// its job with `WorkerCrashed` and is restarted.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { NotReady, Overloaded } from '../../../../shared/errors.js';
import type { AnalyzeResult } from '../../../../shared/engine/types.js';
import {
  deserializeError,
  jobTransfer,
  type EngineInfo,
  type FromWorker,
  type Job,
  type ToWorker,
  type WorkerInit,
} from './protocol.js';

export interface PoolOptions {
  /** Worker threads, at least 1. */
  workers: number;
  /** Jobs allowed to wait for a worker; one more is refused with `Overloaded` (503). 0 = no waiting. */
  queueLimit: number;
  /** onnxruntime intra-op threads per worker; 0 or absent: the cores shared out, `max(1, floor(cores / workers))`. */
  intraOpThreads?: number;
  /** Directory holding manifest.json and the models (default: the repository's models/). */
  modelsDir?: string;
  /** The worker module (file URL); tests substitute one that wraps the real worker. */
  workerEntry?: string | URL;
  /** Told about each worker crash and restart failure (the pool goes on). */
  onWorkerEvent?: (event: WorkerEvent) => void;
}

export type WorkerEvent =
  | { type: 'crashed'; worker: number; exitCode: number; error?: string }
  | { type: 'restartFailed'; worker: number; error: string; retryInMs: number };

/** What happened to one job, for metrics. */
export interface JobEvent {
  kind: Job['kind'];
  outcome: 'ok' | 'error' | 'crashed';
  /** Milliseconds waiting in the queue, then on the worker (including the message round trip). */
  waitMs: number;
  runMs: number;
  /** Worker-side decode milliseconds (`analyzeBytes`). */
  decodeMs?: number;
  /** Per-stage milliseconds summed over the image and its faces (successful jobs). */
  stages?: Record<string, number>;
}

export interface PoolStats {
  workers: number;
  /** Workers with their models loaded (idle or busy). */
  loaded: number;
  busy: number;
  queued: number;
  queueLimit: number;
  ready: boolean;
  completed: number;
  failed: number;
  /** Jobs refused because the queue was full. */
  overloaded: number;
  crashes: number;
  restarts: number;
}

/** A worker thread died (native crash, out of memory, `process.exit`) while it ran this job; it is restarted. */
export class WorkerCrashed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkerCrashed';
  }
}

interface Pending {
  id: number;
  job: Job;
  resolve: (r: AnalyzeResult) => void;
  reject: (e: Error) => void;
  queuedAt: number;
  startedAt: number;
}

interface Slot {
  index: number;
  worker: Worker;
  state: 'loading' | 'idle' | 'busy' | 'exited';
  job?: Pending;
  error?: Error;
  failures: number;
}

const BOOTSTRAP = new URL('./bootstrap.mjs', import.meta.url);
const WORKER = new URL('./worker.ts', import.meta.url);

export class InferencePool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private readonly listeners = new Set<(e: JobEvent) => void>();
  /** One promise per job on a worker, settled (never rejected) when it ends: what `close()` waits for. */
  private readonly running = new Set<Promise<void>>();
  private nextId = 1;
  private cursor = 0;
  private closing = false;
  private started = false;
  private counts = { completed: 0, failed: 0, overloaded: 0, crashes: 0, restarts: 0 };
  private readonly init: WorkerInit;
  /** The engine's identity as the first worker reported it. */
  info: EngineInfo | undefined;

  constructor(private readonly opts: PoolOptions) {
    if (!Number.isInteger(opts.workers) || opts.workers < 1) throw new RangeError('workers: expected ≥ 1');
    if (!Number.isInteger(opts.queueLimit) || opts.queueLimit < 0)
      throw new RangeError('queueLimit: expected ≥ 0');
    this.init = {
      entry: String(opts.workerEntry ?? WORKER),
      intraOpThreads: opts.intraOpThreads || Math.max(1, Math.floor(availableParallelism() / opts.workers)),
      modelsDir: opts.modelsDir,
    };
  }

  /** Starts every worker and resolves once all have loaded their models; rejects (and stops) if one cannot. */
  async start(): Promise<void> {
    // sharp must be loaded by the main thread before any worker loads it (glibc: keeps libvips mapped).
    await import('sharp');
    const loads: Promise<void>[] = [];
    for (let i = 0; i < this.opts.workers; i++) loads.push(this.spawn(i));
    const results = await Promise.allSettled(loads);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      await this.close();
      throw failed.reason;
    }
    this.started = true;
  }

  get ready(): boolean {
    return this.started && !this.closing && this.slots.some((s) => s.state === 'idle' || s.state === 'busy');
  }

  /** Runs a job on a worker: at once when one is idle, after the queue otherwise; `Overloaded` when it is full. */
  run(job: Job): Promise<AnalyzeResult> {
    if (this.closing) return Promise.reject(new NotReady('the inference pool is shutting down'));
    const idle = this.idleSlot();
    if (!idle && this.queue.length >= this.opts.queueLimit) {
      this.counts.overloaded++;
      return Promise.reject(
        new Overloaded(`The server is busy (${this.queue.length} images waiting); try again in a moment`),
      );
    }
    const result = new Promise<AnalyzeResult>((resolve, reject) => {
      const pending: Pending = {
        id: this.nextId++,
        job,
        resolve,
        reject,
        queuedAt: performance.now(),
        startedAt: 0,
      };
      if (idle) this.dispatch(idle, pending);
      else this.queue.push(pending);
    });
    const ended = result.then(
      () => undefined,
      () => undefined,
    );
    this.running.add(ended);
    void ended.then(() => this.running.delete(ended));
    return result;
  }

  /** Listens to every finished job; returns the function that stops listening. */
  onJob(listener: (e: JobEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  stats(): PoolStats {
    const count = (...states: Slot['state'][]) => this.slots.filter((s) => states.includes(s.state)).length;
    return {
      workers: this.opts.workers,
      loaded: count('idle', 'busy'),
      busy: count('busy'),
      queued: this.queue.length,
      queueLimit: this.opts.queueLimit,
      ready: this.ready,
      ...this.counts,
    };
  }

  /** Refuses new jobs, fails the queued ones, lets running ones finish (up to `graceMs`), stops the workers. */
  async close(graceMs = 5000): Promise<void> {
    this.closing = true;
    for (const p of this.queue.splice(0)) p.reject(new NotReady('the inference pool is shutting down'));
    await Promise.race([Promise.all(this.running), delay(graceMs)]);
    await Promise.all(
      this.slots.map(async (s) => {
        if (s.state === 'exited') return;
        const exited = new Promise<void>((r) => s.worker.once('exit', () => r()));
        s.worker.postMessage({ type: 'close' } satisfies ToWorker);
        if ((await Promise.race([exited.then(() => true), delay(graceMs).then(() => false)])) === false)
          await s.worker.terminate();
      }),
    );
  }

  private idleSlot(): Slot | undefined {
    const n = this.slots.length;
    for (let k = 0; k < n; k++) {
      const slot = this.slots[(this.cursor + k) % n];
      if (slot.state === 'idle') {
        this.cursor = (slot.index + 1) % n;
        return slot;
      }
    }
    return undefined;
  }

  /** Sends the job to the slot's worker; false (and the job failed) when it cannot be sent. */
  private dispatch(slot: Slot, pending: Pending): boolean {
    pending.startedAt = performance.now();
    const msg: ToWorker = { type: 'job', id: pending.id, job: pending.job };
    try {
      slot.worker.postMessage(msg, jobTransfer(pending.job));
    } catch (e) {
      // E.g. a DataCloneError for a detached buffer: that job's fault, the worker is fine.
      this.counts.failed++;
      pending.reject(e instanceof Error ? e : new Error(String(e)));
      return false;
    }
    slot.state = 'busy';
    slot.job = pending;
    return true;
  }

  private next(slot: Slot): void {
    slot.state = 'idle';
    slot.job = undefined;
    for (let p = this.queue.shift(); p; p = this.queue.shift()) if (this.dispatch(slot, p)) return;
  }

  private finish(pending: Pending, outcome: JobEvent['outcome'], extra: Partial<JobEvent> = {}): void {
    if (this.listeners.size === 0) return;
    const now = performance.now();
    const event: JobEvent = {
      kind: pending.job.kind,
      outcome,
      waitMs: pending.startedAt - pending.queuedAt,
      runMs: now - pending.startedAt,
      ...extra,
    };
    for (const l of this.listeners) l(event);
  }

  /** Starts worker `index` (first start or restart); resolves when its models are loaded. */
  private spawn(index: number): Promise<void> {
    const worker = new Worker(BOOTSTRAP, { workerData: this.init, name: `visor-inference-${index}` });
    const previous = this.slots[index];
    const slot: Slot = { index, worker, state: 'loading', failures: previous?.failures ?? 0 };
    this.slots[index] = slot;
    return new Promise<void>((resolve, reject) => {
      worker.on('message', (msg: FromWorker) => {
        switch (msg.type) {
          case 'ready':
            this.info ??= msg.info;
            slot.failures = 0;
            this.next(slot);
            resolve();
            break;
          case 'loadFailed':
            slot.error = deserializeError(msg.error);
            break;
          case 'done': {
            const pending = slot.job;
            if (!pending || pending.id !== msg.id) break;
            this.counts.completed++;
            this.finish(pending, 'ok', { decodeMs: msg.decodeMs, stages: stagesOf(msg.result) });
            pending.resolve(msg.result);
            this.next(slot);
            break;
          }
          case 'failed': {
            const pending = slot.job;
            if (!pending || pending.id !== msg.id) break;
            this.counts.failed++;
            this.finish(pending, 'error');
            pending.reject(deserializeError(msg.error));
            this.next(slot);
            break;
          }
          case 'closed':
            break;
        }
      });
      worker.on('error', (e) => (slot.error = e));
      worker.on('exit', (code) => {
        const wasLoading = slot.state === 'loading';
        slot.state = 'exited';
        const pending = slot.job;
        slot.job = undefined;
        if (this.closing) {
          pending?.reject(new NotReady('the inference pool is shutting down'));
          return reject(slot.error ?? new NotReady('the inference pool is shutting down'));
        }
        const detail = slot.error?.message;
        if (wasLoading) {
          reject(slot.error ?? new NotReady(`inference worker ${index} exited (code ${code}) while loading`));
          if (this.started) this.restartLater(index, detail ?? `exit code ${code}`);
          return;
        }
        this.counts.crashes++;
        this.opts.onWorkerEvent?.({ type: 'crashed', worker: index, exitCode: code, error: detail });
        if (pending) {
          this.counts.failed++;
          this.finish(pending, 'crashed');
          pending.reject(
            new WorkerCrashed(
              `inference worker ${index} stopped (exit code ${code}${detail ? `: ${detail}` : ''})`,
            ),
          );
        }
        this.restart(index);
      });
    });
  }

  private restart(index: number): void {
    if (this.closing) return;
    this.counts.restarts++;
    // A failed restart is reported by the 'exit' handler (restartLater), not here.
    this.spawn(index).catch(() => undefined);
  }

  private restartLater(index: number, error: string): void {
    const slot = this.slots[index];
    slot.failures++;
    const retryInMs = Math.min(30_000, 500 * 2 ** (slot.failures - 1));
    this.opts.onWorkerEvent?.({ type: 'restartFailed', worker: index, error, retryInMs });
    // With no worker left to run them, queued jobs would wait for as long as the models fail to load.
    if (!this.slots.some((s) => s.state === 'idle' || s.state === 'busy' || s.state === 'loading'))
      for (const p of this.queue.splice(0))
        p.reject(new NotReady('the face models failed to load; try again later'));
    setTimeout(() => this.restart(index), retryInMs).unref();
  }
}

/** Stage milliseconds for one analysed image: the image's (detector) plus every face's (landmarks, calculator…). */
export function stagesOf(result: AnalyzeResult): Record<string, number> {
  const stages: Record<string, number> = { ...result.execution_time };
  for (const face of result.faces)
    for (const [stage, ms] of Object.entries(face.execution_time)) stages[stage] = (stages[stage] ?? 0) + ms;
  return stages;
}

const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());
