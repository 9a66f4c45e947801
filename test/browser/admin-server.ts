// The server as main.ts assembles it, with the administration, device sync and the browser engine's models
// (one in-process engine instead of the worker pool), on PGlite in a temporary folder, serving a built web app: what
// the app's browser suites drive. The engine and decoder are the worker's shared ones (test/storage/test-engine.ts:
// the real models, each distinct analysis run once per worker, ~1.5 CPU-s saved per suite in loading them): these
// suites test what the app does with the server's answers, not the engine.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../server/src/app.js';
import { loadConfig } from '../../server/src/config.js';
import { openDatabase } from '../../server/src/db/open.js';
import { createLogger } from '../../server/src/http/logger.js';
import { DEFAULT_MODELS_DIR } from '../../server/src/inference/engine.js';
import { createAdminServices, createRequestCounter } from '../../server/src/services/admin/index.js';
import { createFaceServices } from '../../server/src/services/face-services.js';
import { createSyncService } from '../../server/src/services/sync.js';
import { webApp } from '../../server/src/web/index.js';
import { listen } from '../web/browser.js';
import { seedPglite } from '../storage/backends.js';
import { testDecode, testEngine } from '../storage/test-engine.js';

export interface AdminServer {
  origin: string;
  emailEnabled: boolean;
  close(): Promise<void>;
}

export async function startAdminServer(webDir: string): Promise<AdminServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'visor-admin-server-'));
  const config = loadConfig({ VISOR_DATA_DIR: dataDir, LOG_LEVEL: 'error' });
  const logger = createLogger('error', () => {});
  await seedPglite(dataDir);
  const db = await openDatabase({ databaseUrl: undefined, dataDir });
  const engine = await testEngine();
  const services = await createFaceServices({ config, db, engine, decode: testDecode });
  const counter = createRequestCounter(db);
  const admin = createAdminServices({ config, db, logger, flushRequestCounts: () => counter.flush() });
  const app = createApp({
    config,
    services,
    logger,
    web: webApp(webDir),
    admin: { services: admin, counter },
    models: { dir: DEFAULT_MODELS_DIR },
    sync: createSyncService({ db, engine, collections: services.collections }),
  });
  const served = await listen(app);
  return {
    origin: served.origin,
    emailEnabled: admin.emailEnabled,
    async close() {
      await served.close();
      await counter.stop();
      await admin.close();
      await services.close();
      await engine.dispose();
      await db.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
