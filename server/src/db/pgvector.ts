// The optional pgvector schema (SEARCH_BACKEND=pgvector): the plain-SQL migrations in ./pgvector, applied like
// the main ones (each once, under the same advisory lock) but only where the `vector` extension exists.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Db } from './types.js';

const dir = fileURLToPath(new URL('./pgvector/', import.meta.url));
/** The main migrations' lock key (migrate.ts): a pgvector migration never runs beside them. */
const LOCK_KEY = 0x56_49_53_4f;

/** Thrown at start when SEARCH_BACKEND=pgvector but the database cannot provide the `vector` extension. */
export class PgvectorUnavailable extends Error {
  constructor(kind: Db['kind'], why: string) {
    super(
      kind === 'pglite'
        ? `SEARCH_BACKEND=pgvector: the embedded PGlite could not load pgvector (${why}); set SEARCH_BACKEND=memory`
        : `SEARCH_BACKEND=pgvector: the PostgreSQL server has no usable pgvector extension (${why}); install pgvector there (CREATE EXTENSION vector) or set SEARCH_BACKEND=memory`,
    );
    this.name = 'PgvectorUnavailable';
  }
}

/** Creates the extension and the pgvector tables if needed; returns the migrations it applied. */
export async function migratePgvector(db: Db): Promise<string[]> {
  const available = await db.query('select 1 from pg_available_extensions where name = $1', ['vector']);
  if (!available.length) throw new PgvectorUnavailable(db.kind, 'extension "vector" is not available');
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  try {
    return await db.transaction(async (tx) => {
      await tx.query('select pg_advisory_xact_lock($1)', [LOCK_KEY]);
      const done = new Set(
        (await tx.query<{ name: string }>('select name from visor_migrations')).map((r) => r.name),
      );
      const applied: string[] = [];
      for (const file of files) {
        const name = `pgvector/${file}`;
        if (done.has(name)) continue;
        await tx.exec(readFileSync(dir + file, 'utf8'));
        await tx.query('insert into visor_migrations (name) values ($1)', [name]);
        applied.push(name);
      }
      return applied;
    });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (/extension|vector/i.test(message)) throw new PgvectorUnavailable(db.kind, message);
    throw e;
  }
}
