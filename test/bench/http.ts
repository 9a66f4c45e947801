// Section 6: POST /api/v1/recognition/recognize under 1, 4 and 16 concurrent clients (autocannon on loopback),
// the server in its own process with the real engine and embedded PGlite.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import sharp from 'sharp';
import type { ServerReady } from './http-server.js';
import { ROOT } from './setup.js';
import { quantile } from './stats.js';
import { mb, ms, printTable, type Cell } from './table.js';
import { photoPath } from './setup.js';

export interface LoadPoint {
  clients: number;
  seconds: number;
  ok: number;
  failed: number;
  errors: number;
  /** Sent but still unanswered when the time was up (autocannon does not wait for them). */
  unfinished: number;
  latencies: number[];
  serverPeakRss: number;
}

export const QUERY = '002_A.jpg';

export function startServer(): { child: ChildProcess; ready: Promise<ServerReady> } {
  const child = fork(fileURLToPath(new URL('./http-server.ts', import.meta.url)), [], {
    cwd: ROOT,
    execArgv: ['--import', 'tsx', '--expose-gc'],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const ready = new Promise<ServerReady>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the server did not start within 300 s')), 300_000);
    child.on('message', (m: { ready?: ServerReady }) => {
      if (!m.ready) return;
      clearTimeout(timer);
      resolve(m.ready);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code}): ${err.trim().split('\n').slice(-5).join(' | ')}`));
    });
  });
  return { child, ready };
}

export async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  if (child.connected) child.send('stop');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

export const ask = <T>(child: ChildProcess, msg: string, key: string): Promise<T> =>
  new Promise((resolve) => {
    const on = (m: Record<string, T>) => {
      if (!(key in m)) return;
      child.off('message', on);
      resolve(m[key]);
    };
    child.on('message', on);
    child.send(msg);
  });

export function multipart(bytes: Uint8Array): { body: Buffer; type: string } {
  const boundary = `----visorbench${Date.now()}`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="face.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`;
  return {
    body: Buffer.concat([Buffer.from(head), bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    type: `multipart/form-data; boundary=${boundary}`,
  };
}

async function load(
  url: string,
  headers: Record<string, string>,
  body: Buffer,
  clients: number,
  seconds: number,
) {
  const latencies: number[] = [];
  let failed = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const opts = {
      url,
      method: 'POST' as const,
      headers,
      body,
      connections: clients,
      duration: seconds,
      timeout: 30,
    };
    const instance = autocannon(opts, (err, res) => (err ? reject(err as Error) : resolve(res)));
    instance.on('response', (_client, status, _bytes, time) => {
      if (status >= 200 && status < 300) latencies.push(time);
      else failed++;
    });
  });
  const unfinished = Math.max(0, result.requests.sent - latencies.length - failed - result.errors);
  return { latencies, failed, errors: result.errors, unfinished, seconds: result.duration };
}

/** The request both load tests send: QUERY scaled to 640 px as JPEG, multipart, to /recognize with the key. */
export async function recognizeRequest({ port, apiKey }: ServerReady) {
  const { data: bytes, info } = await sharp(photoPath(QUERY))
    .rotate()
    .resize(640, 640, { fit: 'inside' })
    .jpeg({ quality: 90 })
    .toBuffer({ resolveWithObject: true });
  const { body, type } = multipart(bytes);
  const url = `http://127.0.0.1:${port}/api/v1/recognition/recognize`;
  return { url, headers: { 'x-api-key': apiKey, 'content-type': type }, body, bytes, info };
}

export async function runHttp(quick: boolean): Promise<LoadPoint[]> {
  const seconds = quick ? 4 : 10;
  const { child, ready } = startServer();
  try {
    const { url, headers, body, bytes, info } = await recognizeRequest(await ready);
    // warm-up, and a check that the answer is a real recognition
    let subject = '';
    for (let i = 0; i < 3; i++) {
      const res = await fetch(url, { method: 'POST', headers, body: new Uint8Array(body) });
      const json = (await res.json()) as { result?: { subjects?: { subject: string }[] }[] };
      if (res.status !== 200)
        throw new Error(`warm-up request answered ${res.status}: ${JSON.stringify(json)}`);
      subject = json.result?.[0]?.subjects?.[0]?.subject ?? '(none)';
    }
    const points: LoadPoint[] = [];
    for (const clients of [1, 4, 16]) {
      await ask<number>(child, 'rss', 'peak');
      const r = await load(url, headers, body, clients, seconds);
      points.push({
        clients,
        ok: r.latencies.length,
        ...r,
        serverPeakRss: await ask<number>(child, 'rss', 'peak'),
      });
    }
    printHttp(
      points,
      `${QUERY} scaled to ${info.width}x${info.height} (${(bytes.length / 1024).toFixed(0)} KB), recognised as ${subject}`,
    );
    return points;
  } finally {
    await stopServer(child);
  }
}

function printHttp(points: LoadPoint[], photo: string): void {
  const rows: Cell[][] = points.map((p) => [
    String(p.clients),
    (p.ok / p.seconds).toFixed(1),
    quantile(p.latencies, 0.5),
    quantile(p.latencies, 0.95),
    quantile(p.latencies, 0.99),
    String(p.ok),
    String(p.failed + p.errors),
    String(p.unfinished),
    mb(p.serverPeakRss),
  ]);
  printTable({
    title: '6. POST /api/v1/recognition/recognize over loopback (autocannon), latency in ms',
    headers: [
      'clients',
      'requests/s',
      'p50',
      'p95',
      'p99',
      'answered 2xx',
      'non-2xx + errors',
      'unfinished',
      'server peak RSS',
    ],
    rows,
    notes: [
      `photo: ${photo}; multipart upload, 3 enrolled subjects, embedded PGlite`,
      `${ms(points[0]?.seconds)} s per level after 3 warm-up requests; server in its own process, load generator in this one`,
      'requests/s = 2xx answers / duration; percentiles over the 2xx answers; unfinished: still in flight at the end.',
    ],
  });
}
