// The tall-PNG attack of issue 19, measured (not a test): one API key keeps N PNGs of 1x39,999,999 pixels (78 KB
// each) in flight while another key sends normal /recognize requests; prints the normal requests' latency
// percentiles (at the client and inside the server), the attacker's answers and the longest job a worker ran. Three
// processes: the server (built as `npm start` builds it, defaults from the environment: MAX_IMAGE_SIDE,
// INFERENCE_TIMEOUT, INFERENCE_PER_KEY…), the attack client, and this one sending the normal requests, so the
// attack's client work does not delay the normal client's own event loop.
// `npx tsx test/pool/tall-png-attack.ts [seconds=30] [attackers=34] [normal concurrency=2] [--nice]`
// --nice: the attack client runs at priority 19, as if it were on another machine (the server and the normal
// client keep theirs). ATTACK_PROF=<dir>: the server writes a V8 CPU profile there.
// Each phase prints the server's event-loop utilisation and delay, its main thread's CPU time and the load average.
import { fork } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { loadavg, setPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance as perf } from 'node:perf_hooks';
import { tallPng } from '../image/png.js';

interface Ready {
  port: number;
  attacker: string;
  normal: string;
}

async function child(): Promise<void> {
  const { serve } = await import('@hono/node-server');
  const { createApp } = await import('../../server/src/app.js');
  const { loadConfig } = await import('../../server/src/config.js');
  const { openDatabase } = await import('../../server/src/db/open.js');
  const { createLogger } = await import('../../server/src/http/logger.js');
  const { decodeImage } = await import('../../server/src/image/decode.js');
  const { createPooledEngine } = await import('../../server/src/inference/pool/index.js');
  const { createFaceServices } = await import('../../server/src/services/face-services.js');
  const dataDir = await mkdtemp(join(tmpdir(), 'visor-attack-'));
  process.once('exit', () => rmSync(dataDir, { recursive: true, force: true }));
  const config = loadConfig({ ...process.env, VISOR_DATA_DIR: dataDir, LOG_LEVEL: 'error' });
  const engine = await createPooledEngine({
    workers: config.inferenceWorkers,
    queueLimit: config.inferenceQueue,
    jobTimeoutMs: config.inferenceTimeout * 1000,
    perOwnerLimit: config.inferencePerKey,
    intraOpThreads: config.intraOpThreads,
  });
  let longestJobMs = 0;
  engine.onJob((e) => (longestJobMs = Math.max(longestJobMs, e.runMs)));
  const db = await openDatabase(config);
  const services = await createFaceServices({ config, db, engine, decode: decodeImage });
  const attacker = (await services.createService({ type: 'recognition', name: 'attacker' })).apiKey;
  const normal = (await services.createService({ type: 'recognition', name: 'normal' })).apiKey;
  const app = createApp({ config, services, logger: createLogger('error', () => {}) });
  // Normal requests timed inside the server too (from their parsed head to their answer), to tell its waits from the client's.
  let inServer: number[] = [];
  const fetch = async (req: Request, env: unknown) => {
    const t = perf.now();
    const res = await app.fetch(req, env);
    if (req.headers.get('x-api-key') === normal) inServer.push(perf.now() - t);
    return res;
  };
  serve({ fetch, port: Number(process.env.ATTACK_PORT ?? 8400), hostname: '127.0.0.1' }, (info) =>
    process.send?.({
      ready: { port: info.port, attacker, normal } satisfies Ready,
      config: {
        workers: config.inferenceWorkers,
        queue: config.inferenceQueue,
        perKey: config.inferencePerKey,
        timeoutS: config.inferenceTimeout,
        maxImageSide: config.maxImageSide,
      },
    }),
  );
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  let elu = perf.eventLoopUtilization();
  // The main thread's CPU time (Linux: its task's utime + stime in clock ticks of 10 ms), not the workers'.
  const mainCpuMs = () => {
    const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  };
  let cpu = mainCpuMs();
  process.on('message', (m) => {
    if (m === 'phase') {
      const used = perf.eventLoopUtilization(elu);
      const now = mainCpuMs();
      process.send?.({
        loop: {
          mainThreadCpuMs: now - cpu,
          normalInServerP50ms: Math.round(
            pct(
              inServer.sort((a, b) => a - b),
              50,
            ),
          ),
          normalInServerP99ms: Math.round(pct(inServer, 99)),
          utilisation: Math.round(used.utilization * 100) / 100,
          delayP50ms: Math.round(delay.percentile(50) / 1e6),
          delayP99ms: Math.round(delay.percentile(99) / 1e6),
          delayMaxMs: Math.round(delay.max / 1e6),
        },
      });
      delay.reset();
      elu = perf.eventLoopUtilization();
      cpu = now;
      inServer = [];
    }
    if (m === 'stop') {
      process.send?.({ longestJobMs, stats: engine.stats() });
      setTimeout(() => process.exit(0), 100);
    }
  });
}

/** The attack client: on each 'attack' message keeps `attackers` tall PNGs in flight for `seconds`, then reports. */
function attackClient(): void {
  if (process.argv.includes('--nice')) setPriority(19);
  const tall = new Blob([tallPng(39_999_999)], { type: 'image/png' });
  process.on(
    'message',
    (m: { attack: { port: number; key: string; seconds: number; attackers: number } }) => {
      const { port, key, seconds, attackers } = m.attack;
      const end = performance.now() + seconds * 1000;
      const status: Record<number, number> = {};
      const attack = async () => {
        while (performance.now() < end) {
          const s = await send(port, key, tall, 'tall.png').catch(() => -1);
          status[s] = (status[s] ?? 0) + 1;
        }
      };
      void Promise.all(Array.from({ length: attackers }, attack)).then(() => process.send?.({ status }));
    },
  );
  process.send?.('ready');
}

function send(port: number, key: string, image: Blob, name: string): Promise<number> {
  const form = new FormData();
  form.append('file', image, name);
  return fetch(`http://127.0.0.1:${port}/api/v1/recognition/recognize`, {
    method: 'POST',
    headers: { 'x-api-key': key },
    body: form,
  }).then(async (r) => (await r.arrayBuffer(), r.status));
}

const pct = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN;

async function parent(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 30);
  const attackers = Number(process.argv[3] ?? 34);
  const normalConcurrency = Number(process.argv[4] ?? 2);
  const photo = new Blob(
    [new Uint8Array(await readFile(join(import.meta.dirname, '../fixtures/compreface-samples/009_C.jpg')))],
    { type: 'image/jpeg' },
  );
  const prof = process.env.ATTACK_PROF;
  const server = fork(import.meta.filename, ['--child'], {
    execArgv: ['--import', 'tsx', ...(prof ? ['--cpu-prof', `--cpu-prof-dir=${prof}`] : [])],
  });
  const first = await new Promise<{ ready: Ready; config: unknown }>((r) =>
    server.once('message', r as never),
  );
  const { port, attacker, normal } = first.ready;
  const nice = process.argv.includes('--nice');
  const attackProcess = fork(import.meta.filename, ['--attacker', ...(nice ? ['--nice'] : [])], {
    execArgv: ['--import', 'tsx'],
  });
  await new Promise((r) => attackProcess.once('message', r));
  console.log(
    `tall PNG ${tallPng(39_999_999).byteLength} bytes; attack client ${nice ? 'niced to 19' : 'at normal priority'}; server`,
    first.config,
  );
  const serverLoop = () =>
    new Promise<unknown>((r) => {
      server.once('message', (m: { loop: unknown }) => r(m.loop));
      server.send('phase');
    });
  const phase = async (label: string, attackers: number) => {
    await serverLoop();
    const loadBefore = loadavg()[0];
    const end = performance.now() + seconds * 1000;
    const normalStatus = new Map<number, number>();
    const latencies: number[] = [];
    const count = (m: Map<number, number>, s: number) => m.set(s, (m.get(s) ?? 0) + 1);
    const attacked = attackers
      ? new Promise<Record<number, number>>((r) => {
          attackProcess.once('message', (m: { status: Record<number, number> }) => r(m.status));
          attackProcess.send({ attack: { port, key: attacker, seconds, attackers } });
        })
      : Promise.resolve({});
    const client = async () => {
      while (performance.now() < end) {
        const t = performance.now();
        const status = await send(port, normal, photo, '009_C.jpg').catch(() => -1);
        latencies.push(performance.now() - t);
        count(normalStatus, status);
      }
    };
    await Promise.all(Array.from({ length: normalConcurrency }, client));
    const attackStatus = await attacked;
    latencies.sort((a, b) => a - b);
    const ms = (v: number) => `${Math.round(v)} ms`;
    console.log(
      `${label}: ${seconds} s, ${attackers} tall PNGs in flight, ${normalConcurrency} normal clients`,
    );
    console.log(
      `  normal: ${latencies.length} answers ${JSON.stringify(Object.fromEntries(normalStatus))}, ` +
        `p50 ${ms(pct(latencies, 50))}, p99 ${ms(pct(latencies, 99))}, max ${ms(latencies.at(-1) ?? NaN)}`,
    );
    if (attackers) console.log(`  attacker answers ${JSON.stringify(attackStatus)}`);
    const load = `${loadBefore.toFixed(1)} → ${loadavg()[0].toFixed(1)}`;
    console.log(`  server event loop ${JSON.stringify(await serverLoop())}; load average ${load}`);
  };
  await phase('baseline', 0);
  await phase('attack', attackers);
  const last = await new Promise<{ longestJobMs: number; stats: unknown }>((r) => {
    server.once('message', r as never);
    server.send('stop');
  });
  console.log(`longest job on a worker ${Math.round(last.longestJobMs)} ms; pool`, last.stats);
  attackProcess.kill();
}

if (process.argv[2] === '--child') await child();
else if (process.argv[2] === '--attacker') attackClient();
else await parent();
