// The API test harness: a suite runs on embedded PGlite (a copy of the migrated template, see
// test/storage/backends.ts) and, where the database matters, also on the real PostgreSQL server (a fresh database
// per suite, dropped after), with the real engine; the app is driven through `app.request()`.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe } from 'vitest';
import type { FaceEngine } from '../../shared/engine/types.js';
import { createApp } from '../../server/src/app.js';
import { loadConfig, type Config } from '../../server/src/config.js';
import { openDatabase, type Db } from '../../server/src/db/open.js';
import { openPostgres } from '../../server/src/db/postgres.js';
import { createLogger } from '../../server/src/http/logger.js';
import { testDecode, testEngine } from '../storage/test-engine.js';
import { createFaceServices, type FaceServicesRuntime } from '../../server/src/services/face-services.js';
import type { ServiceType } from '../../server/src/services/types.js';
import { createPostgresDatabase, seedPglite } from '../storage/backends.js';

const root = new URL('../../', import.meta.url);
export const PG_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
export const DATABASES = ['pglite', 'postgres'] as const;
export type DatabaseKind = (typeof DATABASES)[number];

export const SAMPLES = join(new URL('test/fixtures/compreface-samples', root).pathname);
export const FORMATS = join(new URL('test/fixtures/image-formats', root).pathname);

/** A fixture's bytes: `sample('001_A.jpg')`, `format('corrupted.png')`. */
export const sample = (name: string) => new Uint8Array(readFileSync(join(SAMPLES, name)));
export const format = (name: string) => new Uint8Array(readFileSync(join(FORMATS, name)));
export const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

type App = ReturnType<typeof createApp>;

export interface ApiContext {
  app: App;
  config: Config;
  services: FaceServicesRuntime;
  db: Db;
  /** The real engine, shared by the worker's files and both database runs (test/storage/test-engine.ts). */
  engine: FaceEngine;
  kind: DatabaseKind;
  /** API keys of one service of each type. */
  keys: Record<ServiceType, string>;
  /** Another app over the same services and database, with other limits (413 tests). */
  appWith(overrides: Partial<Config>): App;
}

/** The worker's real engine, shared by every file and both database runs (test/storage/test-engine.ts). */
const engine = testEngine;

async function openTestDb(kind: DatabaseKind, dataDir: string): Promise<{ db: Db; drop(): Promise<void> }> {
  if (kind === 'pglite') {
    await seedPglite(dataDir);
    const db = await openDatabase({ databaseUrl: undefined, dataDir });
    return { db, drop: () => db.close() };
  }
  const name = `visor_api_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  await createPostgresDatabase(name);
  const admin = openPostgres(PG_ADMIN_URL, { max: 1 });
  const db = await openDatabase({ databaseUrl: PG_ADMIN_URL.replace(/\/postgres$/, `/${name}`), dataDir });
  return {
    db,
    async drop() {
      await db.close();
      await admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.close();
    },
  };
}

const quiet = createLogger('error', () => {});

/** Declares `suite` on PGlite; `ctx()` gives the running suite's app, keys and services. */
export function describeApi(name: string, suite: (ctx: () => ApiContext) => void): void {
  declareApi(name, ['pglite'], suite);
}

/** Declares `suite` once per database, for suites where the database matters (SQL behind the endpoint). */
export function describeApiOnEachDatabase(name: string, suite: (ctx: () => ApiContext) => void): void {
  declareApi(name, DATABASES, suite);
}

function declareApi(
  name: string,
  kinds: readonly DatabaseKind[],
  suite: (ctx: () => ApiContext) => void,
): void {
  for (const kind of kinds) {
    describe(`${name} [${kind}]`, () => {
      let current: ApiContext | undefined;
      let cleanup: (() => Promise<void>) | undefined;
      beforeAll(async () => {
        const dataDir = await mkdtemp(join(tmpdir(), `visor-api-${basename(name)}-`));
        const config = loadConfig({ VISOR_DATA_DIR: dataDir, LOG_LEVEL: 'error' });
        const { db, drop } = await openTestDb(kind, dataDir);
        const faceEngine = await engine();
        const services = await createFaceServices({ config, db, engine: faceEngine, decode: testDecode });
        const keys = {} as Record<ServiceType, string>;
        for (const type of ['recognition', 'detection', 'verification'] as const) {
          keys[type] = (await services.createService({ type, name: `api-test-${type}` })).apiKey;
        }
        const appWith = (o: Partial<Config>) =>
          createApp({ config: { ...config, ...o }, services, logger: quiet });
        current = { app: appWith({}), config, services, db, engine: faceEngine, kind, keys, appWith };
        cleanup = async () => {
          await services.close();
          await drop();
          await rm(dataDir, { recursive: true, force: true });
        };
      });
      afterAll(async () => {
        await cleanup?.();
      });
      suite(() => {
        if (!current) throw new Error('the API test context is not set up');
        return current;
      });
    });
  }
}

/** Request helpers bound to an app and a key. */
export function client(app: App, key: string | undefined) {
  const headers = (extra: Record<string, string> = {}): Record<string, string> =>
    key === undefined ? extra : { 'x-api-key': key, ...extra };
  return {
    get: (path: string) => app.request(path, { headers: headers() }),
    delete: (path: string) => app.request(path, { method: 'DELETE', headers: headers() }),
    json: (method: string, path: string, body: unknown) =>
      app.request(path, {
        method,
        headers: headers({ 'content-type': 'application/json' }),
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    /** multipart/form-data with each field a file (`[bytes, filename]`). */
    multipart: (path: string, files: Record<string, [Uint8Array, string]>) => {
      const form = new FormData();
      for (const [field, [bytes, filename]] of Object.entries(files)) {
        form.append(field, new File([bytes as Uint8Array<ArrayBuffer>], filename));
      }
      return app.request(path, { method: 'POST', headers: headers(), body: form });
    },
  };
}

/** The JSON body and status of a response. */
export async function read<T = Record<string, unknown>>(
  res: Response | Promise<Response>,
): Promise<{ status: number; body: T }> {
  const r = await res;
  const text = await r.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: r.status, body: body as T };
}
