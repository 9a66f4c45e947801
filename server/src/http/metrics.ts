// Prometheus metrics at /metrics, exposed by prom-client: request counts and latency per route pattern and status,
// the inference pool's queue and workers, per-stage inference time, and prom-client's process and Node.js metrics
// (memory, CPU, event-loop lag, GC).
import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { JobEvent, PoolStats } from '../inference/pool/index.js';

/** What the metrics read from the inference pool (`createPooledEngine()`'s engine has both). */
export interface InferenceMetricsSource {
  stats(): PoolStats;
  onJob(listener: (e: JobEvent) => void): () => void;
}

export interface Metrics {
  /** Records every request: mount first (`app.use(m.middleware)`) so the time includes every other layer. */
  middleware: MiddlewareHandler;
  /** Answers the exposition (`app.get('/metrics', m.handler)`). */
  handler: (c: Context) => Promise<Response>;
  /** The exposition text (format 0.0.4). */
  render(): Promise<string>;
  /** Stops listening to the pool. */
  close(): void;
}

/** Seconds; spans a cached health check to a many-face image on a slow CPU. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

let processRegistry: Registry | undefined;
/** prom-client's process and Node.js metrics: one set per process, however many apps are built (tests build many). */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/** The route pattern that answered (`/api/v1/recognition/subjects/:subject`), never the raw path. */
function routeOf(c: Context): string {
  const route = matchedRoutes(c)[c.req.routeIndex];
  if (!route) return 'unmatched';
  // A 404 that came out of a wildcard middleware is a path nothing handles.
  if (c.res.status === 404 && route.method === 'ALL' && route.path.endsWith('*')) return 'unmatched';
  return route.path;
}

/** The pool's gauges and counters, read from its stats at each scrape. */
function poolMetrics(registers: Registry[], pool: InferenceMetricsSource): void {
  const gauge = (name: string, help: string, read: (s: PoolStats) => number) =>
    new Gauge({
      name,
      help,
      registers,
      collect() {
        this.set(read(pool.stats()));
      },
    });
  gauge('visor_inference_ready', '1 when the models are loaded.', (s) => (s.ready ? 1 : 0));
  gauge('visor_inference_queue_depth', 'Jobs waiting for a worker.', (s) => s.queued);
  gauge('visor_inference_queue_limit', 'Jobs allowed to wait before 503.', (s) => s.queueLimit);
  new Gauge({
    name: 'visor_inference_workers',
    help: 'Inference worker threads by state.',
    labelNames: ['state'],
    registers,
    collect() {
      const s = pool.stats();
      this.set({ state: 'busy' }, s.busy);
      this.set({ state: 'idle' }, s.loaded - s.busy);
      this.set({ state: 'loading' }, s.workers - s.loaded);
    },
  });
  /** A counter the pool keeps: prom-client shows the pool's own running totals. */
  const total = (
    name: string,
    help: string,
    labelNames: string[],
    read: (s: PoolStats) => [object, number][],
  ) =>
    new Counter({
      name,
      help,
      labelNames,
      registers,
      collect() {
        this.reset();
        for (const [labels, value] of read(pool.stats())) this.inc(labels, value);
      },
    });
  total('visor_inference_jobs_total', 'Inference jobs by outcome.', ['outcome'], (s) => [
    [{ outcome: 'ok' }, s.completed],
    [{ outcome: 'error' }, s.failed],
    [{ outcome: 'overloaded' }, s.overloaded],
    [{ outcome: 'throttled' }, s.throttled],
    [{ outcome: 'timed_out' }, s.timedOut],
    [{ outcome: 'cancelled' }, s.cancelled],
  ]);
  total('visor_inference_worker_crashes_total', 'Worker threads that died.', [], (s) => [[{}, s.crashes]]);
}

/** Builds the metrics; pass the pooled engine as `pool` for the inference series. */
export function createMetrics(opts: { pool?: InferenceMetricsSource } = {}): Metrics {
  const own = new Registry();
  const registers = [own];
  const requests = new Counter({
    name: 'visor_http_requests_total',
    help: 'HTTP requests by route pattern and status.',
    labelNames: ['method', 'route', 'status'],
    registers,
  });
  const latency = new Histogram({
    name: 'visor_http_request_duration_seconds',
    help: 'HTTP request time by route pattern and status.',
    labelNames: ['method', 'route', 'status'],
    buckets: BUCKETS,
    registers,
  });

  let unsubscribe: (() => void) | undefined;
  if (opts.pool) {
    poolMetrics(registers, opts.pool);
    const histogram = (name: string, help: string, labelNames: string[]) =>
      new Histogram({ name, help, labelNames, buckets: BUCKETS, registers });
    const stages = histogram(
      'visor_inference_stage_seconds',
      'Inference time per stage and image (detector, landmarks68, calculator, plugins; decode when in the worker).',
      ['stage'],
    );
    const wait = histogram('visor_inference_queue_wait_seconds', 'Time jobs waited for a worker.', []);
    const jobs = histogram(
      'visor_inference_job_seconds',
      'Time jobs spent on a worker, message round trip included, by kind and outcome.',
      ['kind', 'outcome'],
    );
    unsubscribe = opts.pool.onJob((e) => {
      wait.observe(e.waitMs / 1000);
      jobs.observe({ kind: e.kind, outcome: e.outcome }, e.runMs / 1000);
      if (e.decodeMs !== undefined) stages.observe({ stage: 'decode' }, e.decodeMs / 1000);
      for (const [stage, ms] of Object.entries(e.stages ?? {})) stages.observe({ stage }, ms / 1000);
    });
  }

  const render = () => Registry.merge([own, processMetrics()]).metrics();

  return {
    middleware: async (c, next) => {
      const start = performance.now();
      try {
        await next();
      } finally {
        const labels = {
          method: METHODS.has(c.req.method) ? c.req.method : 'OTHER',
          route: routeOf(c),
          status: String(c.res.status),
        };
        requests.inc(labels);
        latency.observe(labels, (performance.now() - start) / 1000);
      }
    },
    handler: async (c) => c.body(await render(), 200, { 'content-type': own.contentType }),
    render,
    close: () => unsubscribe?.(),
  };
}
