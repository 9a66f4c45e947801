// A pool of inference worker threads with a bounded queue: each worker runs one job at a time, jobs go to
// an idle worker at once or wait in the queue; a full queue answers `Overloaded`; a worker that dies fails
// its job with `WorkerCrashed` and is restarted. Bounded by cost as well as count: one owner (API key) may hold
// only its share of the places (`TooManyJobs`, 429), a free worker takes the oldest job of the owner with the
// fewest jobs running, a job past its time limit is failed (`JobTimedOut`) and its worker replaced, and a queued
// job whose caller has gone (its signal aborted) is dropped.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import {
  JobTimedOut,
  NotReady,
  Overloaded,
  RequestCancelled,
  TooManyJobs,
} from '../../../../shared/errors.js';
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
import type { JobScope } from './scope.js';

export interface PoolOptions {
  /** Worker threads, at least 1. */
  workers: number;
  /** Jobs allowed to wait for a worker; one more is refused with `Overloaded` (503). 0 = no waiting. */
  queueLimit: number;
  /** Milliseconds a job may run on a worker before it fails with `JobTimedOut` and the worker is replaced; 0 = none. */
  jobTimeoutMs?: number;
  /** Jobs (waiting or running) one owner may hold; one more is refused with `TooManyJobs` (429). Default: no limit. */
  perOwnerLimit?: number;
  /** onnxruntime intra-op threads per worker; 0 or absent: the cores shared out, `max(1, floor(cores / workers))`. */
  intraOpThreads?: number;
  /** Directory holding manifest.json and the models (default: the repository's models/). */
  modelsDir?: string;
  /** The catalog with the valid model packs and their files (loadModelSet, packs.ts); default: the built-in manifest. */
  models?: WorkerInit['models'];
  /** The worker module (file URL); tests substitute one that wraps the real worker. */
  workerEntry?: string | URL;
  /** Told about each worker crash and restart failure (the pool goes on). */
  onWorkerEvent?: (event: WorkerEvent) => void;
}

export type WorkerEvent =
  | { type: 'crashed'; worker: number; exitCode: number; error?: string }
  | { type: 'restartFailed'; worker: number; error: string; retryInMs: number }
  | { type: 'timedOut'; worker: number; limitMs: number };

/** What happened to one job, for metrics. */
export interface JobEvent {
  kind: Job['kind'];
  outcome: 'ok' | 'error' | 'crashed' | 'timedOut';
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
  /** Jobs refused because their owner held its share (`perOwnerLimit`). */
  throttled: number;
  /** Jobs failed for running past `jobTimeoutMs` (their workers were replaced). */
  timedOut: number;
  /** Queued jobs dropped because their caller had gone. */
  cancelled: number;
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
  /** The owner's key in `held` ('' for jobs without an owner). */
  owner: string;
  signal?: AbortSignal;
  onAbort?: () => void;
  timer?: ReturnType<typeof setTimeout>;
  resolve: (r: AnalyzeResult) => void;
  reject: (e: Error) => void;
  queuedAt: number;
  startedAt: number;
}

interface Slot {
  index: number;
  worker: Worker;
  /** stopping: terminated after a timed-out job, its restart follows the exit. */
  state: 'loading' | 'idle' | 'busy' | 'stopping' | 'exited';
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
  private counts = {
    completed: 0,
    failed: 0,
    overloaded: 0,
    throttled: 0,
    timedOut: 0,
    cancelled: 0,
    crashes: 0,
    restarts: 0,
  };
  /** Jobs each owner holds, waiting or running. */
  private readonly held = new Map<string, number>();
  /** When each owner last had a job dispatched (a counter): the least recently served goes first. */
  private readonly served = new Map<string, number>();
  private dispatches = 0;
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
      models: opts.models,
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

  /**
   * Runs a job on a worker: at once when one is idle, after the queue otherwise; `Overloaded` when it is full,
   * `TooManyJobs` when the scope's owner already holds its share, `RequestCancelled` when its signal aborts first.
   */
  run(job: Job, scope: JobScope = {}): Promise<AnalyzeResult> {
    if (this.closing) return Promise.reject(new NotReady('the inference pool is shutting down'));
    if (scope.signal?.aborted) return Promise.reject(new RequestCancelled('the client has gone'));
    const owner = scope.owner ?? '';
    const limit = this.opts.perOwnerLimit ?? Infinity;
    if (scope.owner !== undefined && (this.held.get(owner) ?? 0) >= limit) {
      this.counts.throttled++;
      return Promise.reject(
        new TooManyJobs(
          `This API key already has ${limit} images being analysed, its share of the server; try again in a moment`,
        ),
      );
    }
    const idle = this.idleSlot();
    if (!idle && this.queue.length >= this.opts.queueLimit) {
      this.counts.overloaded++;
      return Promise.reject(
        new Overloaded(`The server is busy (${this.queue.length} images waiting); try again in a moment`),
      );
    }
    this.held.set(owner, (this.held.get(owner) ?? 0) + 1);
    const result = new Promise<AnalyzeResult>((resolve, reject) => {
      const pending: Pending = {
        id: this.nextId++,
        job,
        owner,
        signal: scope.signal,
        resolve,
        reject,
        queuedAt: performance.now(),
        startedAt: 0,
      };
      if (idle) this.dispatch(idle, pending);
      else {
        this.queue.push(pending);
        if (pending.signal) {
          pending.onAbort = () => this.cancel(pending);
          pending.signal.addEventListener('abort', pending.onAbort, { once: true });
        }
      }
    });
    const ended = result.then(
      () => undefined,
      () => undefined,
    );
    this.running.add(ended);
    void ended.then(() => {
      this.running.delete(ended);
      const left = (this.held.get(owner) ?? 1) - 1;
      if (left > 0) this.held.set(owner, left);
      else {
        this.held.delete(owner);
        this.served.delete(owner);
      }
    });
    return result;
  }

  /** Drops a queued job whose caller has gone (a running one finishes, within its time limit, unread). */
  private cancel(pending: Pending): void {
    const at = this.queue.indexOf(pending);
    if (at < 0) return;
    this.queue.splice(at, 1);
    this.counts.cancelled++;
    pending.reject(new RequestCancelled('the client has gone'));
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
    if (pending.onAbort) pending.signal?.removeEventListener('abort', pending.onAbort);
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
    this.served.set(pending.owner, ++this.dispatches);
    const timeoutMs = this.opts.jobTimeoutMs ?? 0;
    if (timeoutMs > 0) pending.timer = setTimeout(() => this.timeOut(slot, pending), timeoutMs).unref();
    return true;
  }

  /** Fails a job past its time limit and replaces its worker (native decode or inference cannot be interrupted). */
  private timeOut(slot: Slot, pending: Pending): void {
    if (slot.job !== pending || slot.state !== 'busy') return;
    slot.state = 'stopping';
    slot.job = undefined;
    this.counts.timedOut++;
    this.counts.failed++;
    this.finish(pending, 'timedOut');
    const seconds = (this.opts.jobTimeoutMs ?? 0) / 1000;
    pending.reject(new JobTimedOut(`Analysing the image took longer than the ${seconds}-second limit`));
    this.opts.onWorkerEvent?.({ type: 'timedOut', worker: slot.index, limitMs: seconds * 1000 });
    void slot.worker.terminate();
  }

  /**
   * The slot takes the oldest waiting job of the owner with the fewest jobs running, the least recently served
   * first among equals: owners take turns, so one key's backlog cannot starve the others.
   */
  private next(slot: Slot): void {
    slot.state = 'idle';
    slot.job = undefined;
    while (this.queue.length > 0) {
      const runningBy = new Map<string, number>();
      for (const s of this.slots)
        if (s.job) runningBy.set(s.job.owner, (runningBy.get(s.job.owner) ?? 0) + 1);
      const rank = (p: Pending): [number, number] => [
        runningBy.get(p.owner) ?? 0,
        this.served.get(p.owner) ?? -1,
      ];
      let best = 0;
      let bestRank = rank(this.queue[0]);
      for (let i = 1; i < this.queue.length; i++) {
        const r = rank(this.queue[i]);
        if (r[0] < bestRank[0] || (r[0] === bestRank[0] && r[1] < bestRank[1])) [best, bestRank] = [i, r];
      }
      const [p] = this.queue.splice(best, 1);
      if (this.dispatch(slot, p)) return;
    }
  }

  private finish(pending: Pending, outcome: JobEvent['outcome'], extra: Partial<JobEvent> = {}): void {
    clearTimeout(pending.timer);
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
        const wasStopping = slot.state === 'stopping';
        slot.state = 'exited';
        const pending = slot.job;
        slot.job = undefined;
        if (this.closing) {
          pending?.reject(new NotReady('the inference pool is shutting down'));
          return reject(slot.error ?? new NotReady('the inference pool is shutting down'));
        }
        // Terminated after a timed-out job (already failed): not a crash, just replaced.
        if (wasStopping) return this.restart(index);
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
