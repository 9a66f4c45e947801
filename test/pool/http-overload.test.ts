// An overloaded server over HTTP: with one inference worker and a one-job queue, a burst of /recognize requests
// gets its excess answered 503 with Retry-After and CompreFace's error body, while the rest succeed.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/src/app.js';
import { loadConfig } from '../../server/src/config.js';
import { openDatabase, type Db } from '../../server/src/db/open.js';
import { createLogger } from '../../server/src/http/logger.js';
import { decodeImage } from '../../server/src/image/decode.js';
import { createPooledEngine, type PooledEngine } from '../../server/src/inference/pool/index.js';
import { createFaceServices, type FaceServicesRuntime } from '../../server/src/services/face-services.js';
import { seedPglite } from '../storage/backends.js';

let dataDir: string;
let engine: PooledEngine;
let db: Db;
let services: FaceServicesRuntime;
let app: ReturnType<typeof createApp>;
let apiKey: string;
let photo: Blob;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'visor-overload-'));
  const config = loadConfig({ VISOR_DATA_DIR: dataDir, LOG_LEVEL: 'error' });
  engine = await createPooledEngine({ workers: 1, queueLimit: 1 });
  await seedPglite(dataDir);
  db = await openDatabase(config);
  services = await createFaceServices({ config, db, engine, decode: decodeImage });
  apiKey = (await services.createService({ type: 'recognition', name: 'door' })).apiKey;
  app = createApp({ config, services, logger: createLogger('error', () => {}) });
  const bytes = await readFile(join(import.meta.dirname, '../fixtures/compreface-samples/009_C.jpg'));
  photo = new Blob([new Uint8Array(bytes)], { type: 'image/jpeg' });
});
afterAll(async () => {
  await services?.close();
  await db?.close();
  await engine?.dispose();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('a burst beyond the inference queue', () => {
  it('answers the excess 503 with Retry-After, the rest 200, and stays up', async () => {
    const recognize = () => {
      const form = new FormData();
      form.append('file', photo, '009_C.jpg');
      return app.request('/api/v1/recognition/recognize', {
        method: 'POST',
        headers: { 'x-api-key': apiKey },
        body: form,
      });
    };
    const answers = await Promise.all(Array.from({ length: 6 }, recognize));
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(1);
    expect(statuses.filter((s) => s === 503).length).toBeGreaterThanOrEqual(1);
    expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
    for (const r of answers.filter((a) => a.status === 503)) {
      expect(r.headers.get('retry-after')).toBe('1');
      expect(await r.json()).toMatchObject({ code: 40 });
    }
    // the burst over, the server answers again
    expect((await recognize()).status).toBe(200);
    expect(engine.stats().overloaded).toBeGreaterThanOrEqual(1);
  });
});
