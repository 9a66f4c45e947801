// `npm start`: configuration → engine → database → face services → HTTP server. The port opens at once:
// /api/health answers while the models load, /api/ready and the API answer 503 until everything is up.
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createApp, createStartingApp } from './app.js';
import { openDatabase, type Db } from './db/open.js';
import type { AppEnv } from './http/env.js';
import { createLogger, type Logger } from './http/logger.js';
import { decodeImage } from './image/decode.js';
import { createPooledEngine, type PooledEngine } from './inference/pool/index.js';
import { loadModelSet } from './inference/packs.js';
import { createMetrics, type Metrics } from './http/metrics.js';
import { createFaceServices, type FaceServicesRuntime } from './services/face-services.js';
import { webApp } from './web/index.js';
import { fileURLToPath } from 'node:url';
import { createSyncService } from './services/sync.js';
import {
  createAdminServices,
  createRequestCounter,
  type AdminServices,
  type RequestCounter,
} from './services/admin/index.js';

/** The built models (manifest.json and the .onnx files). */
const MODELS_DIR = fileURLToPath(new URL('../../models', import.meta.url));

interface Running {
  engine?: PooledEngine;
  metrics?: Metrics;
  db?: Db;
  services?: FaceServicesRuntime;
  admin?: AdminServices;
  counter?: RequestCounter;
}

async function start(config: Config, logger: Logger, running: Running, setApp: (app: Hono<AppEnv>) => void) {
  // The database first: it takes the data folder's lock, so a second server on the same folder (or a database that
  // cannot open) is refused before it spends seconds loading every model.
  running.db = await openDatabase(config, { log: (message, fields) => logger.warn(message, fields) });
  // Models load once per inference worker at start: no slow first request.
  // The built-in models plus the valid packs of VISOR_MODELS_DIR, checked once here: a bad pack file is logged and
  // skipped (GET /models/packs.json lists it with what is wrong), the built-in models serve regardless.
  const models = await loadModelSet(MODELS_DIR, config.modelsDir, (message, fields) =>
    logger.warn(message, fields),
  );
  for (const p of models.packs) if (p.status === 'valid') logger.info('model pack', { ...p });
  running.engine = await createPooledEngine({
    models,
    workers: config.inferenceWorkers,
    queueLimit: config.inferenceQueue,
    jobTimeoutMs: config.inferenceTimeout * 1000,
    perOwnerLimit: config.inferencePerKey,
    intraOpThreads: config.intraOpThreads,
    onWorkerEvent: (e) => logger.warn('inference worker', { ...e }),
  });
  const engine = running.engine;
  logger.info('engine loaded', { embedder: engine.embedderId, workers: config.inferenceWorkers });
  running.metrics = createMetrics({ pool: engine });
  running.services = await createFaceServices({
    config,
    db: running.db,
    engine: running.engine,
    decode: decodeImage,
  });
  const db = running.db;
  running.counter = createRequestCounter(db);
  const counter = running.counter;
  const collections = running.services.collections;
  running.admin = createAdminServices({
    config,
    db,
    logger,
    flushRequestCounts: () => counter.flush(),
    collections,
  });
  setApp(
    createApp({
      config,
      services: running.services,
      logger,
      // Ready = models loaded, database answering and writable, images folder writable (a full disk flips it until fixed).
      ready: async () =>
        engine.ready &&
        (await db.query('select 1'), true) &&
        (await db.writable()) &&
        (await running.services?.storageReady()) !== false,
      metrics: running.metrics,
      // Cross-origin isolation lets the browser engine use WASM threads.
      web: webApp(undefined, {
        headers: {
          'Cross-Origin-Opener-Policy': 'same-origin',
          'Cross-Origin-Embedder-Policy': 'require-corp',
        },
      }),
      models: { dir: MODELS_DIR, set: models },
      sync: createSyncService({ db, engine, collections }),
      admin: { services: running.admin, counter },
    }),
  );
  logger.info('ready', { database: db.kind });
  // Examples stored under an older embedder are re-embedded in the background so they stay searchable.
  const services = running.services;
  void services.reembedMissing().then(
    (r) => (r.reembedded || r.failed) && logger.info('re-embedded examples', r),
    (e: unknown) => logger.warn('re-embedding failed', { error: String(e) }),
  );
  // A change of a service's embedder that a stopped server left half done goes on (issue 17.1).
  void services.resumeEmbedderJobs().then(
    (n) => n && logger.info('resumed embedder jobs', { jobs: n }),
    (e: unknown) => logger.warn('embedder jobs not resumed', { error: String(e) }),
  );
}

async function main(): Promise<void> {
  // onnxruntime-node's POSIX telemetry (on since 1.29) walks the command line with recursive regexes and reports
  // usage upstream: an air-gapped, privacy-first server wants neither. Set before any inference worker starts.
  process.env.ORT_DISABLE_TELEMETRY ??= '1';
  let config: Config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`visor: ${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const logger = createLogger(config.logLevel);
  let app: Hono<AppEnv> = createStartingApp(logger);
  const running: Running = {};

  const server = serve({ fetch: (req, env) => app.fetch(req, env), port: config.port }, (info) => {
    logger.info('listening', {
      url: `http://localhost:${info.port}`,
      docs: `http://localhost:${info.port}/api/docs`,
    });
  });

  let stopping = false;
  const stop = async (signal: string, code = 0) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    // Requests in flight get a grace period; a client holding a connection open does not block the exit.
    setTimeout(() => {
      logger.warn('shutdown grace period over: exiting with work still open', { graceSeconds: 10 });
      process.exit(code);
    }, 10_000).unref();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await running.counter?.stop();
    await running.admin?.close();
    await running.services?.close();
    await running.db?.close();
    await running.engine?.dispose();
    running.metrics?.close();
    process.exit(code);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stop(signal));

  try {
    await start(config, logger, running, (ready) => (app = ready));
  } catch (e) {
    logger.error('start-up failed', { error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    await stop('start-up failure', 1);
  }
}

void main();
