// Embedded PGlite adapter, used when DATABASE_URL is unset: one process owns `dir`, guarded by a lock file.
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db, Queryable } from './types.js';

/** Thrown when another live process already holds the PGlite directory. */
export class DatabaseLocked extends Error {
  constructor(dir: string, pid: number) {
    super(
      `the embedded database ${dir} is in use by process ${pid}; stop it first, or set DATABASE_URL to share a PostgreSQL server`,
    );
    this.name = 'DatabaseLocked';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function lock(dir: string): () => void {
  const file = join(dir, 'visor.lock');
  for (;;) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => rmSync(file, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(readFileSync(file, 'utf8'));
      if (Number.isInteger(pid) && pid > 0 && alive(pid)) throw new DatabaseLocked(dir, pid);
      rmSync(file, { force: true });
    }
  }
}

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

/** Opens (creating if needed) the PGlite database stored in `dir`; `pgvector` loads the vector extension. */
export async function openPglite(dir: string, opts: { pgvector?: boolean } = {}): Promise<Db> {
  mkdirSync(dir, { recursive: true });
  const unlock = lock(dir);
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
