// Child process: loads one engine and either times it on the photos (decode + inference, RSS sampled)
// or reports its cold start. Prints one JSON result for the parent (child.ts).
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { decodeImage } from '../../server/src/image/decode.js';
import { sendResult } from './child.js';
import { ENGINES, loadEngine, type EngineName } from './engines.js';
import { maxRss, RssSampler } from './rss.js';
import { PHOTOS, photoPath } from './setup.js';
import { now, repeat } from './stats.js';

const startedMs = now();

export interface PhotoTiming {
  key: string;
  decode: number[];
  infer: number[];
  /** Process CPU time (user + system, all threads) of the inference, ms: less sensitive to other load. */
  cpu: number[];
  total: number[];
  stages: Record<string, number>[];
  faces: number;
  peakRss: number;
}

export interface TimingResult {
  engine: EngineName;
  describe: string;
  plugins: string[];
  unavailable: string[];
  readyMs: number;
  rssReady: number;
  photos: PhotoTiming[];
  maxRss: number;
}

export interface ColdResult {
  engine: EngineName;
  /** Process start → this script's first line (Node + tsx start-up, static imports). */
  startedMs: number;
  /** Process start → models loaded, engine ready. */
  readyMs: number;
  /** The first decode + inference on the small photo after ready. */
  firstMs: number;
  rssReady: number;
}

const { values } = parseArgs({
  options: {
    engine: { type: 'string' },
    mode: { type: 'string', default: 'timing' },
    photos: { type: 'string', default: PHOTOS.map((p) => p.key).join(',') },
    plugins: { type: 'string', default: 'none' },
    threads: { type: 'string' },
    warmup: { type: 'string', default: '1' },
    runs: { type: 'string', default: '5' },
    budget: { type: 'string', default: '20000' },
  },
});
const name = values.engine as EngineName;
if (!ENGINES.includes(name)) throw new Error(`--engine must be one of ${ENGINES.join(', ')}`);

const read = async (file: string) => new Uint8Array(await readFile(photoPath(file)));
const smallBytes = await read(PHOTOS[0].file);
const engine = await loadEngine(name, {
  plugins: values.plugins === 'all' ? 'all' : 'none',
  probe: values.plugins === 'all' ? await decodeImage(smallBytes) : undefined,
  threads: values.threads ? Number(values.threads) : undefined,
});
const readyMs = now();
const rssReady = process.memoryUsage.rss();

if (values.mode === 'cold') {
  const t = now();
  await engine.infer(await decodeImage(smallBytes));
  const result: ColdResult = { engine: name, startedMs, readyMs, firstMs: now() - t, rssReady };
  sendResult(result);
} else {
  const sampling = {
    warmup: Number(values.warmup),
    runs: Number(values.runs),
    budgetMs: Number(values.budget),
  };
  const sampler = new RssSampler();
  const photos: PhotoTiming[] = [];
  for (const key of values.photos.split(',')) {
    const photo = PHOTOS.find((p) => p.key === key);
    if (!photo) throw new Error(`unknown photo ${key}`);
    const bytes = await read(photo.file);
    await sampler.peak(true);
    let faces = 0;
    const runs = await repeat(async () => {
      const t0 = now();
      const image = await decodeImage(bytes, engine.decode);
      const t1 = now();
      const c = process.cpuUsage();
      const r = await engine.infer(image);
      const t2 = now();
      const cpu = process.cpuUsage(c);
      faces = r.faces;
      const stages = r.stages ?? {};
      return { decode: t1 - t0, infer: t2 - t1, cpu: (cpu.user + cpu.system) / 1000, total: t2 - t0, stages };
    }, sampling);
    photos.push({
      key,
      decode: runs.map((r) => r.decode),
      infer: runs.map((r) => r.infer),
      cpu: runs.map((r) => r.cpu),
      total: runs.map((r) => r.total),
      stages: runs.map((r) => r.stages),
      faces,
      peakRss: await sampler.peak(),
    });
  }
  await sampler.stop();
  const result: TimingResult = {
    engine: name,
    describe: engine.describe,
    plugins: engine.plugins,
    unavailable: engine.unavailable,
    readyMs,
    rssReady,
    photos,
    maxRss: maxRss(),
  };
  sendResult(result);
}
await engine.dispose();
// tfjs-wasm and onnxruntime keep handles open; the result is out, so leave now.
process.exit(0);
