// A real Visor server for the sync tests: PGlite in a temporary folder, the real engine and face services,
// createApp() plus the routes this work adds (/models, /ort, /api/v1/recognition/sync), optionally the pages.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import type { FaceEngine } from '../../shared/engine/types.js';
import { createApp } from '../../server/src/app.js';
import { loadConfig } from '../../server/src/config.js';
import { openDatabase } from '../../server/src/db/open.js';
import { errorHandler } from '../../server/src/http/errors.js';
import { createLogger } from '../../server/src/http/logger.js';
import { decodeImage } from '../../server/src/image/decode.js';
import { createServerEngine } from '../../server/src/inference/engine.js';
import { syncRoutes } from '../../server/src/routes/sync.js';
import { createFaceServices } from '../../server/src/services/face-services.js';
import { createSyncService } from '../../server/src/services/sync.js';
import type { FaceServices } from '../../server/src/services/types.js';
import { SAMPLES, pageServer } from './harness.js';
import { seedPglite } from '../storage/backends.js';

export interface SyncServer {
  app: Hono;
  services: FaceServices;
  engine: FaceEngine;
  apiKey: string;
  /** A request to `app` with the service's API key. */
  api(path: string, init?: RequestInit): Promise<Response>;
  /** Adds `file` (a sample photo name) as an example of `subject` through the REST API; returns its image_id. */
  upload(subject: string, file: string): Promise<string>;
  /** The recognition events the server has received from devices. */
  events(): Promise<{ subject: string | null }[]>;
  close(): Promise<void>;
}

/** `opts.embedder`: the service's embedder (issue 17.1; default: the server's). */
export async function startSyncServer(
  pagesDir?: string,
  opts: { embedder?: string } = {},
): Promise<SyncServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'visor-sync-'));
  const config = loadConfig({ VISOR_DATA_DIR: dataDir, LOG_LEVEL: 'error' });
  await seedPglite(dataDir);
  const db = await openDatabase({ databaseUrl: undefined, dataDir });
  const engine = await createServerEngine({ intraOpThreads: 1 });
  const services = await createFaceServices({ config, db, engine, decode: decodeImage });
  const { apiKey } = await services.createService({
    type: 'recognition',
    name: 'Kiosk sync',
    embedder: opts.embedder,
  });
  const logger = createLogger('error', () => {});
  const api = createApp({ config, services, logger });
  const app = pagesDir ? pageServer(pagesDir, (a) => mountApi(a)) : new Hono();
  if (!pagesDir) mountApi(app);
  // As createApp does: domain errors become {message, code} with their status.
  app.onError(errorHandler(logger) as never);
  function mountApi(a: Hono) {
    a.route(
      '/api/v1/recognition/sync',
      syncRoutes({ services }, createSyncService({ db, engine, collections: services.collections })) as never,
    );
    a.all('/api/*', (c) => api.fetch(c.req.raw));
  }
  const withKey = async (path: string, init: RequestInit = {}) =>
    app.request(path, { ...init, headers: { 'x-api-key': apiKey, ...init.headers } });
  return {
    app,
    services,
    engine,
    apiKey,
    api: withKey,
    async upload(subject, file) {
      const form = new FormData();
      form.append('file', new Blob([await readFile(`${SAMPLES}/${file}`)], { type: 'image/jpeg' }), file);
      const res = await withKey(`/api/v1/recognition/faces?subject=${encodeURIComponent(subject)}`, {
        method: 'POST',
        body: form,
      });
      if (res.status !== 201) throw new Error(`upload ${file}: HTTP ${res.status} ${await res.text()}`);
      return ((await res.json()) as { image_id: string }).image_id;
    },
    async events() {
      const res = await withKey('/api/v1/recognition/sync/events?limit=1000');
      return ((await res.json()) as { events: { subject: string | null }[] }).events;
    },
    async close() {
      await (services as { close?(): Promise<void> }).close?.();
      await engine.dispose();
      await db.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
