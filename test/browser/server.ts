// A real Visor server for the sync tests: PGlite in a temporary folder, the real engine and face services,
// createApp() plus the routes this work adds (/models, /ort, /api/v1/recognition/sync), optionally the pages;
// and the synced kiosk the kiosk suites share (openKioskOnServer): that server, the kiosk page, a fake camera.
// The engine and decoder are the worker's (test/storage/test-engine.ts: the server's real ones, loaded once per
// worker, each distinct analysis run once): these suites test what the kiosk does with the server's answers, not
// the engine's pace; an embedder switch's job still re-embeds through it.
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
import { syncRoutes } from '../../server/src/routes/sync.js';
import { createFaceServices } from '../../server/src/services/face-services.js';
import { createSyncService } from '../../server/src/services/sync.js';
import type { FaceServices } from '../../server/src/services/types.js';
import type { Page } from 'playwright-core';
import { SAMPLES, buildPages, listen, openCameraPage, pageServer, type CameraPage } from './harness.js';
import { seedPglite } from '../storage/backends.js';
import { testDecode, testEngine } from '../storage/test-engine.js';

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
  const engine = await testEngine();
  const services = await createFaceServices({ config, db, engine, decode: testDecode });
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
      await db.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface KioskOnServer {
  server: SyncServer;
  /** Where the kiosk page (`/kiosk.html`) and the server's API are served. */
  origin: string;
  camera: CameraPage;
  close(): Promise<void>;
}

/**
 * The kiosk test page served by a sync server (`embedder`: its service's) holding person C (009_C.jpg, uploaded
 * through the REST API), and Chromium whose fake camera shows person C, on a blank page.
 */
export async function openKioskOnServer(opts: { embedder?: string } = {}): Promise<KioskOnServer> {
  const built = await buildPages(['kiosk']);
  const closers: (() => Promise<unknown>)[] = [() => rm(built.dir, { recursive: true, force: true })];
  const close = async () => {
    for (const c of closers) await c();
  };
  try {
    const server = await startSyncServer(built.dir, opts);
    closers.unshift(() => server.close());
    const served = await listen(server.app);
    closers.unshift(() => served.close());
    await server.upload('Person C', '009_C.jpg');
    const camera = await openCameraPage(served.origin, `${SAMPLES}/009_C.jpg`);
    closers.unshift(() => camera.close());
    return { server, origin: served.origin, camera, close };
  } catch (e) {
    await close();
    throw e;
  }
}

/** The examples the page's kiosk holds (IndexedDB): subject, model key, embedding size, whether it waits. */
export function heldExamples(
  page: Page,
): Promise<{ subject: string; model: string; dim: number; pending: boolean }[]> {
  return page.evaluate(
    () =>
      new Promise<{ subject: string; model: string; dim: number; pending: boolean }[]>((resolve, reject) => {
        const open = indexedDB.open('visor');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const req = open.result.transaction('examples').objectStore('examples').getAll();
          req.onsuccess = () =>
            resolve(
              (
                req.result as { subject: string; model: string; embedding: Float32Array; pending?: number }[]
              ).map((e) => ({
                subject: e.subject,
                model: e.model,
                dim: e.embedding.length,
                pending: !!e.pending,
              })),
            );
        };
      }),
  );
}
