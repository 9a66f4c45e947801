// Child process for the HTTP section: the real app (engine, embedded PGlite in a temp dir, face services)
// on a loopback port, with three enrolled subjects. Talks to the parent over IPC:
// sends {port, apiKey} when listening, answers 'rss' with the peak RSS since the last ask, 'mem' with
// process.memoryUsage() after a full GC, exits on 'stop'.
import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import sharp from 'sharp';
import { createApp } from '../../server/src/app.js';
import { loadConfig } from '../../server/src/config.js';
import { openDatabase } from '../../server/src/db/open.js';
import { createLogger } from '../../server/src/http/logger.js';
import { decodeImage } from '../../server/src/image/decode.js';
import { createPooledEngine } from '../../server/src/inference/pool/index.js';
import { createFaceServices } from '../../server/src/services/face-services.js';
import { RssSampler } from './rss.js';
import { photoPath } from './setup.js';

export interface ServerReady {
  port: number;
  apiKey: string;
}

/** A photo scaled so its longer side is `side` pixels, as JPEG bytes. */
export const scaled = async (file: string, side: number): Promise<Uint8Array> =>
  new Uint8Array(
    await sharp(photoPath(file))
      .rotate()
      .resize(side, side, { fit: 'inside' })
      .jpeg({ quality: 90 })
      .toBuffer(),
  );

const send = (m: unknown) => process.send?.(m);

const dataDir = await mkdtemp(join(tmpdir(), 'visor-bench-'));
// removed however the process ends, a failed start-up included
process.once('exit', () => rmSync(dataDir, { recursive: true, force: true }));
// REFUSAL_DELAY=0: the soak's fuzz burst is one key sending mostly refused requests in parallel, which the
// tarpit would hold back (test/pool/tall-png-attack.ts measures the tarpit); this bench measures memory and speed.
const config = loadConfig({ VISOR_DATA_DIR: dataDir, LOG_LEVEL: 'error', REFUSAL_DELAY: '0' });
// The engine as `npm start` builds it: a pool of inference workers sized by the same configuration.
const engine = await createPooledEngine({
  workers: config.inferenceWorkers,
  queueLimit: config.inferenceQueue,
  intraOpThreads: config.intraOpThreads,
});
const db = await openDatabase(config);
const services = await createFaceServices({ config, db, engine, decode: decodeImage });
const svc = await services.createService({ type: 'recognition', name: 'bench' });
for (const [subject, file] of [
  ['A', '005_A.jpg'],
  ['B', '007_B.jpg'],
  ['C', '009_C.jpg'],
] as const)
  await services.addExample(svc, subject, { bytes: await scaled(file, 640), filename: file }, {});
const app = createApp({ config, services, logger: createLogger('error', () => {}) });
const sampler = new RssSampler();

const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  const ready: ServerReady = { port: info.port, apiKey: svc.apiKey };
  send({ ready });
});

process.on('message', (m) => {
  if (m === 'rss') void sampler.peak(true).then((peak) => send({ peak }));
  // Memory now, after a full garbage collection (the child runs with --expose-gc): JS heap vs native memory.
  if (m === 'mem') {
    (globalThis as { gc?: () => void }).gc?.();
    send({ mem: process.memoryUsage() });
  }
  if (m === 'stop') {
    server.close();
    void (async () => {
      await sampler.stop();
      await services.close();
      await db.close();
      await engine.dispose();
      process.exit(0);
    })();
  }
});
