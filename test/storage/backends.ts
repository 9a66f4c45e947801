// Runs one storage suite against both databases Visor supports: embedded PGlite (a temp dir) and the real
// PostgreSQL server (a fresh, uniquely named database per suite, dropped afterwards). Every test database is made
// here: a PGlite one is a copy of one migrated template (built once per run by test/build-server.setup.ts), which
// opens in about a second where migrating afresh takes several.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cp, mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe } from 'vitest';
import { loadConfig, type Config } from '../../server/src/config.js';
import { openDatabase } from '../../server/src/db/open.js';
import type { Db } from '../../server/src/db/types.js';

/** The PostgreSQL server the suites use (trust auth); TEST_DATABASE_URL overrides. */
export const PG_ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export type BackendName = 'pglite' | 'postgres';

export interface TestDatabase {
  backend: BackendName;
  config: Config;
  db: Db;
  /** Opens another connection to the same database (PostgreSQL only: PGlite has one owner). */
  openAnother(): Promise<Db>;
}

const root = new URL('../../', import.meta.url);
const MIGRATIONS = new URL('server/src/db/migrations/', root);

/** What the template's content depends on besides the migrations themselves. */
const TEMPLATE_INPUTS = [
  'node_modules/@electric-sql/pglite/package.json',
  'server/src/db/migrate.ts',
  'server/src/db/open.ts',
  'server/src/db/pglite.ts',
];

/**
 * Where the migrated PGlite template lives: keyed by the migrations, the code that applies them and the PGlite
 * version, so a changed migration builds a new one and concurrent runs share a finished one.
 */
function templateDir(): string {
  const hash = createHash('sha256');
  for (const file of TEMPLATE_INPUTS) hash.update(readFileSync(new URL(file, root)));
  for (const file of readdirSync(MIGRATIONS).sort())
    hash.update(file).update(readFileSync(new URL(file, MIGRATIONS)));
  return join(tmpdir(), `visor-pglite-template-${hash.digest('hex').slice(0, 16)}`);
}

/** Builds the migrated PGlite template unless it exists (vitest's global setup calls this once per run). */
export async function buildPgliteTemplate(): Promise<void> {
  const dir = templateDir();
  if (existsSync(join(dir, 'ready'))) return;
  const building = await mkdtemp(`${dir}-building-`);
  const db = await openDatabase({ databaseUrl: undefined, dataDir: building });
  await db.close();
  writeFileSync(join(building, 'ready'), '');
  // another run may have finished first: then keep theirs
  await rename(building, dir).catch(() => rm(building, { recursive: true, force: true }));
}

/**
 * Puts a copy of the migrated template at `dataDir`/pglite, where openDatabase() looks, if the template is built;
 * otherwise openDatabase() migrates a new database as usual. Call it before opening a PGlite test database.
 */
export async function seedPglite(dataDir: string): Promise<void> {
  const dir = templateDir();
  if (existsSync(join(dir, 'ready')))
    await cp(join(dir, 'pglite'), join(dataDir, 'pglite'), { recursive: true });
}

/** Creates an empty database and returns its config (with a fresh data dir) and a cleanup function. */
export async function createTestDatabase(
  backend: BackendName,
  env: Record<string, string> = {},
): Promise<{ config: Config; cleanup(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'visor-storage-'));
  if (backend === 'pglite') {
    await seedPglite(dataDir);
    return {
      config: loadConfig({ ...env, VISOR_DATA_DIR: dataDir }),
      cleanup: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const name = `visor_test_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = postgres(PG_ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    config: loadConfig({ ...env, VISOR_DATA_DIR: dataDir, DATABASE_URL: url.toString() }),
    async cleanup() {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Declares `suite` once per backend; `get()` returns that backend's migrated database, opened before the
 * suite's tests and closed and dropped after them.
 */
export function describeStorage(
  title: string,
  suite: (get: () => TestDatabase) => void,
  opts: { backends?: BackendName[]; env?: Record<string, string> } = {},
): void {
  describe.each(opts.backends ?? (['pglite', 'postgres'] as const))(`${title} [%s]`, (backend) => {
    let t: TestDatabase | undefined;
    let cleanup: (() => Promise<void>) | undefined;
    const others: Db[] = [];
    beforeAll(async () => {
      const created = await createTestDatabase(backend, opts.env);
      cleanup = created.cleanup;
      const db = await openDatabase(created.config);
      t = {
        backend,
        config: created.config,
        db,
        async openAnother() {
          if (backend !== 'postgres') throw new Error('PGlite has a single owner process');
          const other = await openDatabase(created.config);
          others.push(other);
          return other;
        },
      };
    });
    afterAll(async () => {
      for (const o of others) await o.close();
      await t?.db.close();
      await cleanup?.();
    });
    suite(() => {
      if (!t) throw new Error('database not open');
      return t;
    });
  });
}

/** Declares `suite` on PGlite alone: for suites whose subject is logic above the repositories, not SQL. */
export function describeOnOneDatabase(title: string, suite: (get: () => TestDatabase) => void): void {
  describeStorage(title, suite, { backends: ['pglite'] });
}
