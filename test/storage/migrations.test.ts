// Migrations: applied once, idempotent on every start, safe when several processes start together. The PGlite
// suites start from a copy of the migrated template (backends.ts), so one test here migrates an empty directory.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { migrate } from '../../server/src/db/migrate.js';
import { openDatabase } from '../../server/src/db/open.js';
import { DatabaseLocked } from '../../server/src/db/pglite.js';
import { createTestDatabase, describeStorage } from './backends.js';

describeStorage('migrations', (get) => {
  it('has applied every migration, and applying again changes nothing', async () => {
    const { db } = get();
    const applied = await db.query<{ name: string }>('select name from visor_migrations order by name');
    expect(applied.map((r) => r.name)).toContain('001_init.sql');
    expect(await migrate(db)).toEqual([]);
    expect(await migrate(db)).toEqual([]);
    const tables = await db.query<{ t: string }>(
      `select table_name as t from information_schema.tables where table_schema = 'public' order by 1`,
    );
    // Later migrations (admin, sync) add tables; the face-collection tables must all be there.
    expect(tables.map((r) => r.t)).toEqual(
      expect.arrayContaining([
        'applications',
        'embeddings',
        'example_images',
        'examples',
        'services',
        'subjects',
        'visor_migrations',
        'users',
        'sessions',
        'application_members',
      ]),
    );
  });
});

it('concurrent starts on one PostgreSQL database migrate it exactly once', async () => {
  const { config, cleanup } = await createTestDatabase('postgres');
  try {
    const dbs = await Promise.all([openDatabase(config), openDatabase(config), openDatabase(config)]);
    const rows = await dbs[0].query<{ n: number }>('select count(*)::int as n from visor_migrations');
    expect(rows[0].n).toBeGreaterThan(0);
    for (const db of dbs) await db.close();
  } finally {
    await cleanup();
  }
});

it('a PGlite directory has one owner at a time', async () => {
  const { config, cleanup } = await createTestDatabase('pglite');
  try {
    const db = await openDatabase(config);
    await expect(openDatabase(config)).rejects.toThrow(DatabaseLocked);
    await db.close();
    const again = await openDatabase(config);
    expect(await migrate(again)).toEqual([]);
    await again.close();
  } finally {
    await cleanup();
  }
});

it('an empty PGlite directory is migrated from nothing, as on a first start', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'visor-fresh-'));
  try {
    const db = await openDatabase({ databaseUrl: undefined, dataDir });
    const applied = await db.query<{ name: string }>('select name from visor_migrations order by name');
    expect(applied.map((r) => r.name)).toContain('001_init.sql');
    expect(await migrate(db)).toEqual([]);
    await db.close();
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});
