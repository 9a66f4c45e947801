// Applies the plain-SQL migrations in ./migrations in name order, each once, under an advisory lock.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Db } from './types.js';

const dir = fileURLToPath(new URL('./migrations/', import.meta.url));
/** Arbitrary constant: serialises concurrent starts of several servers on one PostgreSQL. */
const LOCK_KEY = 0x56_49_53_4f;

/** Runs every migration not yet applied; returns the names it applied. Safe to call on every start. */
export async function migrate(db: Db): Promise<string[]> {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  return db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [LOCK_KEY]);
    await tx.exec(
      'create table if not exists visor_migrations (name text primary key, applied_at timestamptz not null default now())',
    );
    const done = new Set(
      (await tx.query<{ name: string }>('select name from visor_migrations')).map((r) => r.name),
    );
    const applied: string[] = [];
    for (const file of files) {
      if (done.has(file)) continue;
      await tx.exec(readFileSync(dir + file, 'utf8'));
      await tx.query('insert into visor_migrations (name) values ($1)', [file]);
      applied.push(file);
    }
    return applied;
  });
}
