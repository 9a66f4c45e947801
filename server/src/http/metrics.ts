// Prometheus metrics at /metrics, hand-written text exposition (format 0.0.4): request counts and latency per
// route pattern and status, the inference pool's queue and workers, per-stage inference time, process memory.
import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
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
  handler: (c: Context) => Response;
  /** The exposition text. */
  render(): string;
  /** Stops listening to the pool. */
  close(): void;
}

/** Seconds; spans a cached health check to a many-face image on a slow CPU. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

type Labels = Record<string, string>;

const escape = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const fmtLabels = (l: Labels) => {
  const parts = Object.entries(l).map(([k, v]) => `${k}="${escape(v)}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
};
const fmt = (n: number) => (Number.isFinite(n) ? String(n) : n > 0 ? '+Inf' : n < 0 ? '-Inf' : 'NaN');

/** A counter or histogram family: series keyed by their label set. */
class Family {
  private readonly series = new Map<
    string,
    { labels: Labels; count: number; sum: number; buckets: number[] }
  >();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: 'counter' | 'histogram',
  ) {}

  /** Counter: adds `value`; histogram: observes `value`. */
  add(labels: Labels, value = 1): void {
    const key = fmtLabels(labels);
    let s = this.series.get(key);
    if (!s) this.series.set(key, (s = { labels, count: 0, sum: 0, buckets: BUCKETS.map(() => 0) }));
    s.count++;
    s.sum += value;
    if (this.type === 'histogram')
      for (let i = 0; i < BUCKETS.length; i++) if (value <= BUCKETS[i]) s.buckets[i]++;
  }

  render(out: string[]): void {
    out.push(`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} ${this.type}`);
    for (const [key, s] of this.series) {
      if (this.type === 'counter') {
        out.push(`${this.name}${key} ${fmt(s.sum)}`);
        continue;
      }
      BUCKETS.forEach((le, i) =>
        out.push(`${this.name}_bucket${fmtLabels({ ...s.labels, le: String(le) })} ${s.buckets[i]}`),
      );
      out.push(`${this.name}_bucket${fmtLabels({ ...s.labels, le: '+Inf' })} ${s.count}`);
      out.push(`${this.name}_sum${key} ${fmt(s.sum)}`, `${this.name}_count${key} ${s.count}`);
    }
  }
}

function single(
  out: string[],
  name: string,
  type: 'gauge' | 'counter',
  help: string,
  series: [Labels, number][],
) {
  out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
  for (const [labels, v] of series) out.push(`${name}${fmtLabels(labels)} ${fmt(v)}`);
}

/** The route pattern that answered (`/api/v1/recognition/subjects/:subject`), never the raw path. */
function routeOf(c: Context): string {
  const route = matchedRoutes(c)[c.req.routeIndex];
  if (!route) return 'unmatched';
  // A 404 that came out of a wildcard middleware is a path nothing handles.
  if (c.res.status === 404 && route.method === 'ALL' && route.path.endsWith('*')) return 'unmatched';
  return route.path;
}

/** Builds the metrics; pass the pooled engine as `pool` for the inference series. */
export function createMetrics(opts: { pool?: InferenceMetricsSource } = {}): Metrics {
  const requests = new Family(
    'visor_http_requests_total',
    'HTTP requests by route pattern and status.',
    'counter',
  );
  const latency = new Family(
    'visor_http_request_duration_seconds',
    'HTTP request time by route pattern and status.',
    'histogram',
  );
  const stages = new Family(
    'visor_inference_stage_seconds',
    'Inference time per stage and image (detector, landmarks68, calculator, plugins; decode when in the worker).',
    'histogram',
  );
  const wait = new Family(
    'visor_inference_queue_wait_seconds',
    'Time jobs waited for a worker.',
    'histogram',
  );
  const jobs = new Family(
    'visor_inference_job_seconds',
    'Time jobs spent on a worker, message round trip included, by kind and outcome.',
    'histogram',
  );
  const unsubscribe = opts.pool?.onJob((e) => {
    wait.add({}, e.waitMs / 1000);
    jobs.add({ kind: e.kind, outcome: e.outcome }, e.runMs / 1000);
    if (e.decodeMs !== undefined) stages.add({ stage: 'decode' }, e.decodeMs / 1000);
    for (const [stage, ms] of Object.entries(e.stages ?? {})) stages.add({ stage }, ms / 1000);
  });

  const render = (): string => {
    const out: string[] = [];
    requests.render(out);
    latency.render(out);
    if (opts.pool) {
      const s = opts.pool.stats();
      single(out, 'visor_inference_ready', 'gauge', '1 when the models are loaded.', [[{}, s.ready ? 1 : 0]]);
      single(out, 'visor_inference_workers', 'gauge', 'Inference worker threads by state.', [
        [{ state: 'busy' }, s.busy],
        [{ state: 'idle' }, s.loaded - s.busy],
        [{ state: 'loading' }, s.workers - s.loaded],
      ]);
      single(out, 'visor_inference_queue_depth', 'gauge', 'Jobs waiting for a worker.', [[{}, s.queued]]);
      single(out, 'visor_inference_queue_limit', 'gauge', 'Jobs allowed to wait before 503.', [
        [{}, s.queueLimit],
      ]);
      single(out, 'visor_inference_jobs_total', 'counter', 'Inference jobs by outcome.', [
        [{ outcome: 'ok' }, s.completed],
        [{ outcome: 'error' }, s.failed],
        [{ outcome: 'overloaded' }, s.overloaded],
        [{ outcome: 'throttled' }, s.throttled],
        [{ outcome: 'timed_out' }, s.timedOut],
        [{ outcome: 'cancelled' }, s.cancelled],
      ]);
      single(out, 'visor_inference_worker_crashes_total', 'counter', 'Worker threads that died.', [
        [{}, s.crashes],
      ]);
      stages.render(out);
      wait.render(out);
      jobs.render(out);
    }
    const mem = process.memoryUsage();
    const cpu = process.cpuUsage();
    single(out, 'process_resident_memory_bytes', 'gauge', 'Resident memory.', [[{}, mem.rss]]);
    single(out, 'nodejs_heap_used_bytes', 'gauge', 'V8 heap in use (main thread).', [[{}, mem.heapUsed]]);
    single(out, 'nodejs_external_memory_bytes', 'gauge', 'Memory outside the V8 heap.', [[{}, mem.external]]);
    single(out, 'process_cpu_seconds_total', 'counter', 'CPU time, user and system.', [
      [{}, (cpu.user + cpu.system) / 1e6],
    ]);
    return `${out.join('\n')}\n`;
  };

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
        requests.add(labels);
        latency.add(labels, (performance.now() - start) / 1000);
      }
    },
    handler: (c) => c.body(render(), 200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }),
    render,
    close: () => unsubscribe?.(),
  };
}
