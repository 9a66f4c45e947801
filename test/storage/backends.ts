// Runs one storage suite against both databases Visor supports: embedded PGlite (a temp dir) and the real
// PostgreSQL server (a fresh, uniquely named database per suite, dropped afterwards). Every test database is made
// here: a PGlite one is a copy of one migrated template (built once per run by test/build-server.setup.ts), which
// opens in about a second where migrating afresh takes several; a PostgreSQL one is created from a migrated template
// database (CREATE DATABASE ... TEMPLATE, ~0.2 s against ~1 s for creating and migrating one).
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
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
function templateKey(): string {
  const hash = createHash('sha256');
  for (const file of TEMPLATE_INPUTS) hash.update(readFileSync(new URL(file, root)));
  for (const file of readdirSync(MIGRATIONS).sort())
    hash.update(file).update(readFileSync(new URL(file, MIGRATIONS)));
  return hash.digest('hex').slice(0, 16);
}
const run = promisify(execFile);
const templateDir = () => join(tmpdir(), `visor-pglite-template-${templateKey()}`);
/** The migrated PostgreSQL template database, keyed like the PGlite one. */
const postgresTemplate = () => `visor_test_template_${templateKey()}`;
const databaseUrl = (name: string) => {
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
};

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
 * Builds the migrated PostgreSQL template database unless it exists (the global setup calls this once per run);
 * without a PostgreSQL server it does nothing (the suites that need one say so themselves).
 */
export async function buildPostgresTemplate(): Promise<void> {
  const name = postgresTemplate();
  const admin = postgres(PG_ADMIN_URL, { max: 1, onnotice: () => {}, connect_timeout: 5 });
  try {
    if ((await admin`select 1 from pg_database where datname = ${name}`).length) return;
    const building = `${name}_${process.pid}`;
    await admin.unsafe(`create database ${building}`);
    const dataDir = mkdtempSync(join(tmpdir(), 'visor-pg-template-'));
    try {
      const db = await openDatabase({ databaseUrl: databaseUrl(building), dataDir });
      await db.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
    // another run may have finished first: then keep theirs
    await admin
      .unsafe(`alter database ${building} rename to ${name}`)
      .catch(() => admin.unsafe(`drop database if exists ${building} with (force)`));
  } catch {
    // no PostgreSQL server: createPostgresDatabase() falls back to empty databases
  } finally {
    await admin.end();
  }
}

/**
 * Creates PostgreSQL database `name`: a copy of the migrated template when it is built (0.2 s), else an empty one
 * that openDatabase() migrates (about a second).
 */
export async function createPostgresDatabase(name: string): Promise<void> {
  const admin = postgres(PG_ADMIN_URL, { max: 1, onnotice: () => {} });
  try {
    const template = postgresTemplate();
    const [found] = await admin`select 1 from pg_database where datname = ${template}`;
    await admin.unsafe(`create database ${name}${found ? ` template ${template}` : ''}`);
  } finally {
    await admin.end();
  }
}

/**
 * Puts a copy of the migrated template at `dataDir`/pglite, where openDatabase() looks, if the template is built;
 * otherwise openDatabase() migrates a new database as usual. Call it before opening a PGlite test database.
 */
export async function seedPglite(dataDir: string): Promise<void> {
  const dir = templateDir();
  // cp(1): a thousand small files in 0.3 s of CPU, where node's fs.cp takes 1.4 s (every PGlite test database pays it)
  if (existsSync(join(dir, 'ready'))) await run('cp', ['-R', join(dir, 'pglite'), join(dataDir, 'pglite')]);
}

/**
 * Creates a database and returns its config (with a fresh data dir) and a cleanup function. A PGlite one is a copy
 * of the migrated template; a PostgreSQL one is empty (its first open migrates it, as a server's first start does)
 * unless `migrated` asks for a copy of the PostgreSQL template.
 */
export async function createTestDatabase(
  backend: BackendName,
  env: Record<string, string> = {},
  { migrated = false }: { migrated?: boolean } = {},
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
  if (migrated) await createPostgresDatabase(name);
  else await admin.unsafe(`create database ${name}`);
  return {
    config: loadConfig({ ...env, VISOR_DATA_DIR: dataDir, DATABASE_URL: databaseUrl(name) }),
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
      const created = await createTestDatabase(backend, opts.env, { migrated: true });
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
