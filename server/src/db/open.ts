// Opens the database the configuration names (PostgreSQL or embedded PGlite) and brings its schema up to date.
import { join } from 'node:path';
import type { Config } from '../config.js';
import { migrate } from './migrate.js';
import { migratePgvector } from './pgvector.js';
import { openPglite } from './pglite.js';
import { openPostgres } from './postgres.js';
import type { LockLog } from './lock.js';
import type { Db } from './types.js';

export type { Db, Queryable } from './types.js';

/** The server's and the CLI's single way to get a database: same config, same database, migrated. */
export async function openDatabase(
  config: Pick<Config, 'databaseUrl' | 'dataDir'> & Partial<Pick<Config, 'searchBackend'>>,
  opts: { log?: LockLog } = {},
): Promise<Db> {
  // SEARCH_BACKEND=pgvector: PGlite loads the extension; both get its schema (or fail with PgvectorUnavailable)
  const pgvector = config.searchBackend === 'pgvector';
  const db = config.databaseUrl
    ? openPostgres(config.databaseUrl)
    : await openPglite(join(config.dataDir, 'pglite'), { pgvector, log: opts.log });
  try {
    await migrate(db);
    if (pgvector) await migratePgvector(db);
  } catch (e) {
    await db.close();
    throw e;
  }
  return db;
}
