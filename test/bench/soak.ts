// Soak section (opt-in: `--only soak [--soak-seconds 600]`): 16 clients on POST /api/v1/recognition/recognize over
// loopback for the whole duration, the server in its own process (http-server.ts, inference pool as `npm start`).
// Requests/s, latency and errors per window; server RSS sampled every 5 s with its least-squares slope, so flat
// memory (or a leak) shows; then a burst beyond the inference queue, which must be answered 503 + Retry-After.
// Before the soak, a fuzz burst (fuzz-burst.ts: 20 MP photos, crowd mode, a 36 MP PNG, broken images) with the
// server's memory after a full GC before it, after it, after 10 s idle and after the soak (issue 19.6): RSS that
// stays up while the JS heap and external buffers come back is native memory kept, not a JavaScript leak.
import autocannon from 'autocannon';
import { fuzzBurst, type BurstResult } from './fuzz-burst.js';
import { ask, QUERY, recognizeRequest, startServer, stopServer } from './http.js';
import { MB, now, quantile } from './stats.js';
import { mb, printTable, type Cell } from './table.js';

const CLIENTS = 16;
const RSS_EVERY_MS = 5000;
/** Simultaneous requests of the overload burst: well past the default queue (32) plus workers. */
const BURST = 96;
/** Requests of the fuzz burst before the soak. */
const FUZZ = 300;

export interface MemoryPoint {
  label: string;
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

export interface SoakResult {
  seconds: number;
  ok: number;
  failed: number;
  errors: number;
  /** Server RSS, bytes: peak of each 5-second window, at its end (seconds since the start). */
  rss: { t: number; bytes: number }[];
  /** Least-squares slope of RSS after the first window, and over the second half, MB per minute. */
  slopeMbPerMin: number;
  lateSlopeMbPerMin: number;
  burst: { sent: number; ok: number; overloaded: number; withRetryAfter: number; other: number };
  fuzz: BurstResult;
  /** Server memory after a full GC at each phase. */
  memory: MemoryPoint[];
}

/** Least-squares slope of y over x. */
function slope(points: { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return NaN;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const sxy = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  return sxx ? sxy / sxx : NaN;
}

export async function runSoak(seconds: number): Promise<SoakResult> {
  const { child, ready } = startServer();
  try {
    const server = await ready;
    const { url, headers, body } = await recognizeRequest(server);
    const post = () => fetch(url, { method: 'POST', headers, body: new Uint8Array(body) });
    for (let i = 0; i < 3; i++) {
      const res = await post();
      if (res.status !== 200) throw new Error(`warm-up request answered ${res.status}: ${await res.text()}`);
    }

    const memory: MemoryPoint[] = [];
    const snap = async (label: string) =>
      memory.push({ label, ...(await ask<NodeJS.MemoryUsage>(child, 'mem', 'mem')) });
    await snap('fresh, after 3 warm-up requests');
    const fuzz = await fuzzBurst(server.port, server.apiKey, FUZZ);
    await snap(`after a fuzz burst of ${FUZZ} requests`);
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    await snap('after 10 s idle');

    await ask<number>(child, 'rss', 'peak');
    const start = now();
    const rss: SoakResult['rss'] = [];
    const sampler = setInterval(
      () =>
        void ask<number>(child, 'rss', 'peak').then((bytes) =>
          rss.push({ t: (now() - start) / 1000, bytes }),
        ),
      RSS_EVERY_MS,
    );
    const answers: { t: number; ok: boolean; ms: number }[] = [];
    const result = await new Promise<autocannon.Result>((resolve, reject) => {
      const opts = {
        url,
        method: 'POST' as const,
        headers,
        body,
        connections: CLIENTS,
        duration: seconds,
        timeout: 30,
      };
      const instance = autocannon(opts, (err, res) => (err ? reject(err as Error) : resolve(res)));
      instance.on('response', (_client, status, _bytes, ms) =>
        answers.push({ t: (now() - start) / 1000, ok: status >= 200 && status < 300, ms }),
      );
    });
    clearInterval(sampler);
    rss.push({ t: (now() - start) / 1000, bytes: await ask<number>(child, 'rss', 'peak') });
    await snap(`after the ${seconds} s soak`);

    // overload: every request beyond the queue is refused at once with 503 and Retry-After
    const responses = await Promise.all(Array.from({ length: BURST }, () => post()));
    const burst = { sent: BURST, ok: 0, overloaded: 0, withRetryAfter: 0, other: 0 };
    for (const res of responses) {
      await res.arrayBuffer();
      if (res.status === 200) burst.ok++;
      else if (res.status === 503) {
        burst.overloaded++;
        if (Number(res.headers.get('retry-after')) > 0) burst.withRetryAfter++;
      } else burst.other++;
    }

    const window = Math.max(10, Math.round(seconds / 10));
    const after = rss.filter((r) => r.t >= window);
    const late = rss.filter((r) => r.t >= result.duration / 2);
    const perMinute = (samples: typeof rss) => slope(samples.map((r) => ({ x: r.t / 60, y: r.bytes / MB })));
    const soak: SoakResult = {
      seconds: result.duration,
      ok: answers.filter((a) => a.ok).length,
      failed: answers.filter((a) => !a.ok).length,
      errors: result.errors + result.timeouts,
      rss,
      slopeMbPerMin: perMinute(after.length >= 2 ? after : rss),
      lateSlopeMbPerMin: perMinute(late),
      burst,
      fuzz,
      memory,
    };
    printSoak(soak, answers, window);
    return soak;
  } finally {
    await stopServer(child);
  }
}

function printSoak(r: SoakResult, answers: { t: number; ok: boolean; ms: number }[], window: number): void {
  const rows: Cell[][] = [];
  const total = Math.floor(r.seconds / window) * window; // whole windows only
  for (let from = 0; from < total; from += window) {
    const to = Math.min(from + window, total);
    const inside = answers.filter((a) => a.t >= from && a.t < to);
    const ok = inside.filter((a) => a.ok).map((a) => a.ms);
    const last = r.rss.filter((s) => s.t <= to + 1).at(-1);
    rows.push([
      `${from}–${to} s`,
      (ok.length / (to - from)).toFixed(1),
      quantile(ok, 0.5),
      quantile(ok, 0.95),
      String(inside.length - ok.length),
      last ? mb(last.bytes) : '',
    ]);
  }
  const at = (f: number) =>
    r.rss[Math.min(r.rss.length - 1, Math.floor(f * (r.rss.length - 1)))]?.bytes ?? NaN;
  printTable({
    title: `7a. Server memory around a fuzz burst (${r.fuzz.sent} requests in ${r.fuzz.seconds.toFixed(0)} s: ${Object.entries(
      r.fuzz.statuses,
    )
      .map(([s, n]) => `${n}x ${s}`)
      .join(', ')})`,
    headers: ['after a full GC', 'RSS', 'JS heap used', 'external', 'array buffers'],
    rows: r.memory.map((m) => [m.label, mb(m.rss), mb(m.heapUsed), mb(m.external), mb(m.arrayBuffers)]),
    notes: [
      'RSS is the whole process (inference worker threads included); heap, external and array buffers are the main',
      "thread's JavaScript memory: RSS that stays up while they come back is native memory kept after the peak.",
    ],
  });
  printTable({
    title: `7. Soak: ${CLIENTS} clients on POST /api/v1/recognition/recognize for ${Math.round(r.seconds)} s`,
    headers: ['window', 'requests/s', 'p50 ms', 'p95 ms', 'non-2xx', 'server RSS'],
    rows,
    notes: [
      `total: ${r.ok} answered 2xx (${(r.ok / r.seconds).toFixed(2)} requests/s), ${r.failed} non-2xx, ${r.errors} socket errors/timeouts`,
      `server RSS (peak of each ${RSS_EVERY_MS / 1000} s window): start ${mb(at(0))}, middle ${mb(at(0.5))}, end ${mb(at(1))};`,
      `RSS slope (least squares, ${r.rss.length} samples): ${r.slopeMbPerMin.toFixed(2)} MB/min after the first ${window} s,` +
        ` ${r.lateSlopeMbPerMin.toFixed(2)} MB/min over the second half`,
      `overload burst of ${r.burst.sent} simultaneous requests: ${r.burst.ok} answered 200, ${r.burst.overloaded} answered 503` +
        ` (${r.burst.withRetryAfter} with Retry-After), ${r.burst.other} other`,
      `${QUERY} scaled to 640 px, multipart; 3 enrolled subjects, embedded PGlite, default INFERENCE_WORKERS/QUEUE.`,
    ],
  });
}
