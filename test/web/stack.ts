// The real server for browser tests: the face services on a temporary PGlite database with the real engine,
// createApp() from server/src/app.ts with webApp() serving the built app, as `npm start` runs it. The engine and
// decoder are the worker's shared ones (test/storage/test-engine.ts: the real models, each distinct analysis run
// once per worker): the suite tests what the app does with the server's answers, not the engine.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../server/src/app.js';
import { loadConfig } from '../../server/src/config.js';
import { openDatabase } from '../../server/src/db/open.js';
import { createLogger } from '../../server/src/http/logger.js';
import { createFaceServices } from '../../server/src/services/face-services.js';
import type { ServiceType } from '../../server/src/services/types.js';
import { webApp } from '../../server/src/web/index.js';
import { listen } from './browser.js';
import { seedPglite } from '../storage/backends.js';
import { testDecode, testEngine } from '../storage/test-engine.js';

export interface Stack {
  origin: string;
  /** One API key per service type. */
  keys: Record<ServiceType, string>;
  /** Waits until the recognition collection stops changing (uploads the browser aborted may still finish). */
  settle(): Promise<void>;
  close(): Promise<void>;
}

export async function startStack(distDir: string): Promise<Stack> {
  const dataDir = await mkdtemp(join(tmpdir(), 'visor-web-'));
  const config = loadConfig({ VISOR_DATA_DIR: dataDir, LOG_LEVEL: 'error' });
  await seedPglite(dataDir);
  const db = await openDatabase({ databaseUrl: undefined, dataDir });
  const engine = await testEngine();
  const services = await createFaceServices({ config, db, engine, decode: testDecode });
  const keys = {} as Record<ServiceType, string>;
  for (const type of ['recognition', 'detection', 'verification'] as const) {
    keys[type] = (await services.createService({ type, name: `Web ${type}` })).apiKey;
  }
  const app = createApp({ config, services, logger: createLogger('error', () => {}), web: webApp(distDir) });
  const served = await listen(app);
  return {
    origin: served.origin,
    keys,
    async settle() {
      const svc = await services.resolveKey(keys.recognition, 'recognition');
      const count = async () => (await services.listExamples(svc, { page: 0, size: 1 })).total;
      let last = -1;
      for (let n = await count(); n !== last; n = await count()) {
        last = n;
        await new Promise((r) => setTimeout(r, 2000));
      }
    },
    async close() {
      await served.close();
      await services.close();
      await engine.dispose();
      await db.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
