// Embedded PGlite adapter, used when DATABASE_URL is unset: one process owns `dir`, guarded by ./lock.ts.
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { mkdirSync } from 'node:fs';
import { lockDataDir, type LockLog } from './lock.js';
import type { Db, Queryable } from './types.js';

export { DatabaseLocked } from './lock.js';

/** Where lock take-overs are reported when the caller gives no logger (the CLI): one line on stderr. */
const stderrLog: LockLog = (message, fields) =>
  process.stderr.write(`visor: ${message} ${JSON.stringify(fields)}\n`);

function queryable(db: PGlite | Transaction): Queryable {
  return {
    async query<T extends object>(text: string, params: readonly unknown[] = []) {
      return (await db.query<T>(text, params as unknown[])).rows;
    },
    async exec(script: string) {
      await db.exec(script);
    },
  };
}

/**
 * Opens (creating if needed) the PGlite database stored in `dir`; `pgvector` loads the vector extension; `log`
 * hears about a stale lock taken over.
 */
export async function openPglite(dir: string, opts: { pgvector?: boolean; log?: LockLog } = {}): Promise<Db> {
  mkdirSync(dir, { recursive: true });
  const unlock = await lockDataDir(dir, opts.log ?? stderrLog);
  let pg: PGlite;
  try {
    const extensions = opts.pgvector
      ? { vector: (await import('@electric-sql/pglite-pgvector')).vector }
      : undefined;
    pg = await PGlite.create(dir, { extensions });
  } catch (e) {
    unlock();
    throw e;
  }
  return {
    kind: 'pglite',
    ...queryable(pg),
    transaction: (fn) => pg.transaction((tx) => fn(queryable(tx))),
    async listen(channel, onMessage) {
      const unsubscribe = await pg.listen(channel, onMessage);
      return () => unsubscribe();
    },
    async close() {
      try {
        await pg.close();
      } finally {
        unlock();
      }
    },
  };
}
