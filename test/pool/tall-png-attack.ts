// The tall-PNG attack of issue 19, measured (not a test): one API key keeps N PNGs of 1x39,999,999 pixels (78 KB
// each) in flight while another key sends normal /recognize requests; prints the normal requests' latency
// percentiles (at the client and inside the server), the attacker's answers and the longest job a worker ran. Three
// processes: the server (built as `npm start` builds it, defaults from the environment: MAX_IMAGE_SIDE,
// INFERENCE_TIMEOUT, INFERENCE_PER_KEY…), the attack client, and this one sending the normal requests, so the
// attack's client work does not delay the normal client's own event loop.
// `npx tsx test/pool/tall-png-attack.ts [seconds=30] [attackers=34] [normal concurrency=2] [--nice | --matrix[=runs]]`
// --nice: the attack client runs at priority 19, as if it were on another machine (the server and the normal
// client keep theirs). --matrix: full priority and niced, each with REFUSAL_DELAY as set and 0, `runs` times (2),
// then a table. ATTACK_PROF=<dir>: the server writes a V8 CPU profile there. ATTACK_PORT: the server's port (any).
// Each phase prints the server's event-loop utilisation and delay, its main thread's CPU time and the load average.
import { fork } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { availableParallelism, loadavg, setPriority, tmpdir } from 'node:os';
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
  serve({ fetch, port: Number(process.env.ATTACK_PORT ?? 0), hostname: '127.0.0.1' }, (info) =>
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
      const status: Record<string, number> = {};
      const attack = async () => {
        while (performance.now() < end) {
          const s = await send(port, key, tall, 'tall.png').catch(failure);
          status[s] = (status[s] ?? 0) + 1;
        }
      };
      void Promise.all(Array.from({ length: attackers }, attack)).then(() => process.send?.({ status }));
    },
  );
  process.send?.('ready');
}

/** A request that got no answer, named by its cause (`-1 ECONNRESET`). */
const failure = (e: unknown) => {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  return `-1 ${cause?.code ?? cause?.message ?? String(e)}`;
};

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

interface Phase {
  answers: number;
  status: Record<string, number>;
  p50: number;
  p99: number;
  max: number;
  attacker: Record<string, number>;
  loop: { mainThreadCpuMs: number; normalInServerP99ms: number; utilisation: number; delayP99ms: number };
  load: [number, number];
}

interface Measured {
  baseline: Phase;
  attack: Phase;
  longestJobMs: number;
}

/** One measurement: a fresh server, a baseline phase without the attack, then one with it. */
async function measure(opts: {
  seconds: number;
  attackers: number;
  normalConcurrency: number;
  nice: boolean;
  env: Record<string, string>;
}): Promise<Measured> {
  const { seconds, normalConcurrency, nice } = opts;
  const photo = new Blob(
    [new Uint8Array(await readFile(join(import.meta.dirname, '../fixtures/compreface-samples/009_C.jpg')))],
    { type: 'image/jpeg' },
  );
  const prof = process.env.ATTACK_PROF;
  const server = fork(import.meta.filename, ['--child'], {
    execArgv: ['--import', 'tsx', ...(prof ? ['--cpu-prof', `--cpu-prof-dir=${prof}`] : [])],
    env: { ...process.env, ...opts.env },
  });
  const first = await new Promise<{ ready: Ready; config: unknown }>((r) =>
    server.once('message', r as never),
  );
  const { port, attacker, normal } = first.ready;
  const attackProcess = fork(import.meta.filename, ['--attacker', ...(nice ? ['--nice'] : [])], {
    execArgv: ['--import', 'tsx'],
  });
  await new Promise((r) => attackProcess.once('message', r));
  console.log(
    `tall PNG ${tallPng(39_999_999).byteLength} bytes; attack client ${nice ? 'niced to 19' : 'at normal priority'}; server`,
    first.config,
  );
  const serverLoop = () =>
    new Promise<Phase['loop']>((r) => {
      server.once('message', (m: { loop: Phase['loop'] }) => r(m.loop));
      server.send('phase');
    });
  const phase = async (label: string, attackers: number): Promise<Phase> => {
    await serverLoop();
    const loadBefore = loadavg()[0];
    const end = performance.now() + seconds * 1000;
    const normalStatus: Record<string, number> = {};
    const latencies: number[] = [];
    const attacked = attackers
      ? new Promise<Record<string, number>>((r) => {
          attackProcess.once('message', (m: { status: Record<string, number> }) => r(m.status));
          attackProcess.send({ attack: { port, key: attacker, seconds, attackers } });
        })
      : Promise.resolve({});
    const client = async () => {
      while (performance.now() < end) {
        const t = performance.now();
        const status = await send(port, normal, photo, '009_C.jpg').catch(failure);
        latencies.push(performance.now() - t);
        normalStatus[status] = (normalStatus[status] ?? 0) + 1;
      }
    };
    await Promise.all(Array.from({ length: normalConcurrency }, client));
    const attackStatus = await attacked;
    latencies.sort((a, b) => a - b);
    const ms = (v: number) => `${Math.round(v)} ms`;
    const result: Phase = {
      answers: latencies.length,
      status: normalStatus,
      p50: pct(latencies, 50),
      p99: pct(latencies, 99),
      max: latencies.at(-1) ?? NaN,
      attacker: attackStatus,
      loop: await serverLoop(),
      load: [loadBefore, loadavg()[0]],
    };
    console.log(
      `${label}: ${seconds} s, ${attackers} tall PNGs in flight, ${normalConcurrency} normal clients`,
    );
    console.log(
      `  normal: ${result.answers} answers ${JSON.stringify(normalStatus)}, ` +
        `p50 ${ms(result.p50)}, p99 ${ms(result.p99)}, max ${ms(result.max)}`,
    );
    if (attackers) console.log(`  attacker answers ${JSON.stringify(attackStatus)}`);
    const load = `${result.load[0].toFixed(1)} → ${result.load[1].toFixed(1)}`;
    console.log(`  server event loop ${JSON.stringify(result.loop)}; load average ${load}`);
    return result;
  };
  const baseline = await phase('baseline', 0);
  const attack = await phase('attack', opts.attackers);
  const last = await new Promise<{ longestJobMs: number; stats: unknown }>((r) => {
    server.once('message', r as never);
    server.send('stop');
  });
  console.log(`longest job on a worker ${Math.round(last.longestJobMs)} ms; pool`, last.stats);
  attackProcess.kill();
  await new Promise((r) => (server.exitCode === null ? server.once('exit', r) : r(null)));
  return { baseline, attack, longestJobMs: last.longestJobMs };
}

/**
 * `--matrix[=runs]`: the attack client at full priority and niced, each with REFUSAL_DELAY as configured and with
 * REFUSAL_DELAY=0, `runs` times each (default 2, interleaved), then one table of every run.
 */
async function matrix(seconds: number, attackers: number, normalConcurrency: number, runs: number) {
  const delay = process.env.REFUSAL_DELAY ?? 'default';
  const configs: { nice: boolean; env: Record<string, string>; label: string }[] = [
    { nice: false, env: {}, label: `full priority, REFUSAL_DELAY ${delay}` },
    { nice: false, env: { REFUSAL_DELAY: '0' }, label: 'full priority, REFUSAL_DELAY 0' },
    { nice: true, env: {}, label: `niced, REFUSAL_DELAY ${delay}` },
    { nice: true, env: { REFUSAL_DELAY: '0' }, label: 'niced, REFUSAL_DELAY 0' },
  ];
  const rows: string[] = [];
  const s = (ms: number) => (ms / 1000).toFixed(2);
  for (let run = 1; run <= runs; run++)
    for (const c of configs) {
      console.log(`\n## ${c.label}, run ${run}/${runs}`);
      const m = await measure({ seconds, attackers, normalConcurrency, nice: c.nice, env: c.env });
      const a = m.attack;
      rows.push(
        `| ${c.label} | ${run} | ${s(m.baseline.p50)} / ${s(m.baseline.p99)} s | ` +
          `${s(a.p50)} / ${s(a.p99)} s (${a.answers} answers) | ${s(a.loop.normalInServerP99ms)} s | ` +
          `${Object.entries(a.attacker)
            .map(([k, n]) => `${n}× ${k}`)
            .join(', ')} | ` +
          `${Math.round(a.loop.utilisation * 100)} % | ${a.loop.mainThreadCpuMs} ms | ` +
          `${a.load[0].toFixed(0)}–${a.load[1].toFixed(0)} | ${Math.round(m.longestJobMs)} ms |`,
      );
    }
  console.log(
    `\n${seconds} s per phase, ${attackers} tall PNGs in flight, ${normalConcurrency} normal clients, ` +
      `${availableParallelism()} cores\n\n` +
      '| configuration | run | normal p50 / p99 without attack | with attack | in-server p99 | attacker answers | event loop busy | main-thread CPU | load | longest job |\n' +
      '|---|---|---|---|---|---|---|---|---|---|\n' +
      rows.join('\n'),
  );
}

async function parent(): Promise<void> {
  const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const seconds = Number(args[0] ?? 30);
  const attackers = Number(args[1] ?? 34);
  const normalConcurrency = Number(args[2] ?? 2);
  const matrixArg = process.argv.find((a) => a.startsWith('--matrix'));
  if (matrixArg) return matrix(seconds, attackers, normalConcurrency, Number(matrixArg.split('=')[1] ?? 2));
  await measure({
    seconds,
    attackers,
    normalConcurrency,
    nice: process.argv.includes('--nice'),
    env: {},
  });
}

if (process.argv[2] === '--child') await child();
else if (process.argv[2] === '--attacker') attackClient();
else await parent();
