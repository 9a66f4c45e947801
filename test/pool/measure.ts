// Throughput of the inference pool (not a test): analyses/s of a ~640px one-face JPEG, decoded and analysed in
// the workers, at 1, 4 and 16 concurrent callers with 1 and 2 workers. `npx tsx test/pool/measure.ts [seconds] [local|1|2] [intra-op threads]`.
import { readFile } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import type { AnalyzeResult } from '../../shared/engine/types.js';
import { decodeImage } from '../../server/src/image/decode.js';
import { createServerEngine } from '../../server/src/inference/engine.js';
import { createPooledEngine } from '../../server/src/inference/pool/index.js';

const seconds = Number(process.argv[2] ?? 10);
const photo = join(import.meta.dirname, '../fixtures/compreface-samples/009_C.jpg');
const jpeg = new Uint8Array(
  await sharp(await readFile(photo))
    .resize({ width: 640 })
    .jpeg({ quality: 90 })
    .toBuffer(),
);
const meta = await sharp(jpeg).metadata();
console.log(
  `image ${meta.width}x${meta.height}, ${jpeg.length} bytes; ${availableParallelism()} cores, load ${loadavg()[0].toFixed(1)}`,
);

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

/** Closed-loop callers for `seconds`: analyses/s and latency percentiles. */
async function drive(label: string, concurrency: number, analyse: () => Promise<AnalyzeResult>) {
  const latencies: number[] = [];
  const end = performance.now() + seconds * 1000;
  const client = async () => {
    while (performance.now() < end) {
      const start = performance.now();
      await analyse();
      latencies.push(performance.now() - start);
    }
  };
  const start = performance.now();
  const cpu0 = process.cpuUsage();
  await Promise.all(Array.from({ length: concurrency }, client));
  const elapsed = (performance.now() - start) / 1000;
  // Every thread of the process (workers, onnxruntime, libvips): the cost per analysis whatever else runs.
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000 / latencies.length;
  latencies.sort((a, b) => a - b);
  console.log(
    `${label} c=${String(concurrency).padStart(2)}: ${(latencies.length / elapsed).toFixed(1)} analyses/s, ` +
      `p50 ${percentile(latencies, 0.5).toFixed(0)} ms, p99 ${percentile(latencies, 0.99).toFixed(0)} ms ` +
      `CPU ${cpuMs.toFixed(0)} ms/analysis (${latencies.length} in ${elapsed.toFixed(1)} s, load ${loadavg()[0].toFixed(1)})`,
  );
}

const only = process.argv[3];
if (!only || only === 'local') {
  const local = await createServerEngine();
  for (const c of [1, 4])
    await drive('in-process  ', c, async () => local.analyze(await decodeImage(jpeg), { embed: true }));
  await local.dispose();
}
const intraOpThreads = Number(process.argv[4] ?? 0);
for (const workers of only && only !== 'local' ? [Number(only)] : [1, 2]) {
  const t0 = performance.now();
  const engine = await createPooledEngine({ workers, queueLimit: 64, intraOpThreads });
  const stages: Record<string, number> = {};
  let jobs = 0;
  engine.onJob((e) => {
    jobs++;
    for (const [k, ms] of Object.entries({ decode: e.decodeMs ?? 0, ...e.stages }))
      stages[k] = (stages[k] ?? 0) + ms;
  });
  const rss = Math.round(process.memoryUsage.rss() / 2 ** 20);
  console.log(
    `pool: ${workers} worker(s), ready in ${Math.round(performance.now() - t0)} ms, RSS ${rss} MiB`,
  );
  const one = await engine.analyzeBytes(jpeg, { embed: true });
  if (one.faces.length !== 1) throw new Error(`expected one face, got ${one.faces.length}`);
  for (const c of [1, 4, 16])
    await drive(`pool ${workers}w     `, c, () => engine.analyzeBytes(jpeg, { embed: true }));
  const mean = Object.entries(stages).map(([k, ms]) => `${k} ${(ms / jobs).toFixed(0)}`);
  console.log(`  mean wall ms per stage: ${mean.join(', ')}`);
  await engine.dispose();
}
