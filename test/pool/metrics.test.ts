// /metrics through `app.request()`: every line is valid Prometheus text exposition, requests are counted per
// route pattern (never the raw path) and status, and the pool's gauges and stage histograms appear.
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { SubjectNotFound } from '../../shared/errors.js';
import type { AppEnv } from '../../server/src/http/env.js';
import { errorHandler, notFoundHandler } from '../../server/src/http/errors.js';
import { createLogger } from '../../server/src/http/logger.js';
import { createMetrics, type InferenceMetricsSource } from '../../server/src/http/metrics.js';
import type { JobEvent, PoolStats } from '../../server/src/inference/pool/index.js';

/** The pool as metrics see it, driven by hand: the real pool's numbers are checked in pool.test.ts. */
function fakePool() {
  const listeners = new Set<(e: JobEvent) => void>();
  const stats: PoolStats = {
    workers: 2,
    loaded: 2,
    busy: 1,
    queued: 3,
    queueLimit: 32,
    ready: true,
    completed: 7,
    failed: 1,
    overloaded: 2,
    throttled: 4,
    timedOut: 1,
    cancelled: 5,
    crashes: 0,
    restarts: 0,
  };
  const source: InferenceMetricsSource = {
    stats: () => stats,
    onJob: (l) => (listeners.add(l), () => listeners.delete(l)),
  };
  return { source, emit: (e: JobEvent) => listeners.forEach((l) => l(e)) };
}

function buildApp(source: InferenceMetricsSource) {
  const metrics = createMetrics({ pool: source });
  const subjects = new Hono()
    .get('/:subject', (c) => {
      const subject = c.req.param('subject');
      if (subject === 'ghost') throw new SubjectNotFound(subject);
      return c.json({ subject });
    })
    .post('/', (c) => c.json({ ok: true }, 201));
  const app = new Hono<AppEnv>({ strict: false });
  app.use(metrics.middleware);
  app.route('/api/v1/recognition/subjects', subjects);
  app.get('/metrics', metrics.handler);
  app.onError(errorHandler(createLogger('error', () => {})));
  app.notFound(notFoundHandler);
  return { app, metrics };
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL = `[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\["\\\\n])*"`;
// Prometheus reads values with Go's ParseFloat, which takes NaN in any case; prom-client writes `Nan`.
const SAMPLE = new RegExp(`^(${NAME})(\\{${LABEL}(?:,${LABEL})*\\})? (-?[0-9.e+-]+|[+-]Inf|NaN|Nan)$`);

/** Label order means nothing in the format: samples are keyed with their labels sorted, `le` last. */
function canonical(labels: string | undefined): string {
  if (!labels) return '';
  const pairs = labels.slice(1, -1).match(new RegExp(LABEL, 'g'))!;
  const rank = (p: string) => (p.startsWith('le=') ? `~${p}` : p);
  return `{${pairs.sort((a, b) => (rank(a) < rank(b) ? -1 : 1)).join(',')}}`;
}

/** Parses the exposition strictly: every line a HELP, a TYPE, a sample of a declared family or empty (ignored). */
function parse(text: string): Map<string, number> {
  expect(text.endsWith('\n')).toBe(true);
  const types = new Map<string, string>();
  const samples = new Map<string, number>();
  for (const line of text.slice(0, -1).split('\n')) {
    if (line === '') continue;
    const meta = /^# (HELP|TYPE) (\S+) (.+)$/.exec(line);
    if (meta) {
      expect(meta[2]).toMatch(new RegExp(`^${NAME}$`));
      if (meta[1] === 'TYPE') {
        expect(types.has(meta[2])).toBe(false);
        expect(['counter', 'gauge', 'histogram']).toContain(meta[3]);
        types.set(meta[2], meta[3]);
      }
      continue;
    }
    const m = SAMPLE.exec(line);
    expect(m, line).not.toBeNull();
    const family = m![1].replace(/_(bucket|sum|count)$/, '');
    expect(types.has(m![1]) || types.get(family) === 'histogram', line).toBe(true);
    samples.set(`${m![1]}${canonical(m![2])}`, Number(m![3]));
  }
  return samples;
}

describe('metrics', () => {
  it('counts requests per route pattern and status, with a consistent latency histogram', async () => {
    const { source } = fakePool();
    const { app } = buildApp(source);
    for (const name of ['alice', 'bob', 'carol'])
      expect((await app.request(`/api/v1/recognition/subjects/${name}`)).status).toBe(200);
    expect((await app.request('/api/v1/recognition/subjects/ghost')).status).toBe(404);
    expect((await app.request('/api/v1/recognition/subjects', { method: 'POST' })).status).toBe(201);
    expect((await app.request('/no/such/path')).status).toBe(404);

    const res = await app.request('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const s = parse(await res.text());
    const subject = 'route="/api/v1/recognition/subjects/:subject"';
    expect(s.get(`visor_http_requests_total{method="GET",${subject},status="200"}`)).toBe(3);
    expect(s.get(`visor_http_requests_total{method="GET",${subject},status="404"}`)).toBe(1);
    expect(
      s.get('visor_http_requests_total{method="POST",route="/api/v1/recognition/subjects",status="201"}'),
    ).toBe(1);
    expect(s.get('visor_http_requests_total{method="GET",route="unmatched",status="404"}')).toBe(1);
    expect([...s.keys()].some((k) => k.includes('alice'))).toBe(false);

    const series = `method="GET",${subject},status="200"`;
    const buckets = [...s.entries()].filter(([k]) =>
      k.startsWith(`visor_http_request_duration_seconds_bucket{${series},`),
    );
    expect(buckets.length).toBeGreaterThan(2);
    const counts = buckets.map(([, v]) => v);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(s.get(`visor_http_request_duration_seconds_bucket{${series},le="+Inf"}`)).toBe(3);
    expect(s.get(`visor_http_request_duration_seconds_count{${series}}`)).toBe(3);
  });

  it('exposes the pool: queue depth, busy workers, outcomes and per-stage histograms', async () => {
    const { source, emit } = fakePool();
    const { app, metrics } = buildApp(source);
    emit({
      kind: 'analyzeBytes',
      outcome: 'ok',
      waitMs: 4,
      runMs: 120,
      decodeMs: 6,
      stages: { detector: 30, landmarks68: 20, calculator: 60 },
    });
    emit({ kind: 'analyze', outcome: 'ok', waitMs: 0, runMs: 80, stages: { detector: 30 } });
    const s = parse(await (await app.request('/metrics')).text());
    expect(s.get('visor_inference_queue_depth')).toBe(3);
    expect(s.get('visor_inference_workers{state="busy"}')).toBe(1);
    expect(s.get('visor_inference_workers{state="idle"}')).toBe(1);
    expect(s.get('visor_inference_ready')).toBe(1);
    expect(s.get('visor_inference_jobs_total{outcome="overloaded"}')).toBe(2);
    expect(s.get('visor_inference_jobs_total{outcome="throttled"}')).toBe(4);
    expect(s.get('visor_inference_jobs_total{outcome="timed_out"}')).toBe(1);
    expect(s.get('visor_inference_jobs_total{outcome="cancelled"}')).toBe(5);
    expect(s.get('visor_inference_stage_seconds_count{stage="detector"}')).toBe(2);
    expect(s.get('visor_inference_stage_seconds_sum{stage="detector"}')).toBeCloseTo(0.06, 9);
    expect(s.get('visor_inference_stage_seconds_count{stage="decode"}')).toBe(1);
    expect(s.get('visor_inference_stage_seconds_bucket{stage="calculator",le="0.05"}')).toBe(0);
    expect(s.get('visor_inference_stage_seconds_bucket{stage="calculator",le="0.1"}')).toBe(1);
    expect(s.get('visor_inference_job_seconds_count{kind="analyzeBytes",outcome="ok"}')).toBe(1);
    metrics.close();
    emit({ kind: 'analyze', outcome: 'ok', waitMs: 0, runMs: 80, stages: { detector: 30 } });
    expect(parse(await metrics.render()).get('visor_inference_stage_seconds_count{stage="detector"}')).toBe(
      2,
    );
  });

  it('escapes label values', async () => {
    const { app, metrics } = buildApp(fakePool().source);
    app.get('/odd/"quoted"', (c) => c.text('ok'));
    expect((await app.request('/odd/%22quoted%22')).status).toBe(200);
    const line = (await metrics.render())
      .split('\n')
      .find((l) => l.startsWith('visor_http_requests_total') && l.includes('odd'));
    expect(line).toBe('visor_http_requests_total{method="GET",route="/odd/\\"quoted\\"",status="200"} 1');
  });
});
