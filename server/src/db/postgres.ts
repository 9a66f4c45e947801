// PostgreSQL adapter (porsager `postgres`), used when DATABASE_URL is set.
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { guardFaults, type DbHealth } from './faults.js';
import type { Db, Queryable } from './types.js';

type Sql = postgres.Sql | postgres.TransactionSql;

function queryable(sql: Sql, health: DbHealth): Queryable {
  return {
    query: <T extends object>(text: string, params: readonly unknown[] = []) =>
      guardFaults(health, async () => {
        const rows = await sql.unsafe(text, params as postgres.ParameterOrJSON<never>[]);
        return [...rows] as unknown as T[];
      }),
    exec: (script: string) =>
      guardFaults(health, async () => {
        await sql.unsafe(script).simple();
      }),
  };
}

/** Thrown inside the probe's transaction to roll it back. */
class ProbeDone extends Error {}

/**
 * After a disk fault: writes a page to a new table in the database's default tablespace inside a transaction that
 * is rolled back; it fails with 53100 while the disk is still full. True (and the fault cleared) when it succeeds.
 */
async function probe(sql: postgres.Sql, health: DbHealth): Promise<boolean> {
  const table = `visor_disk_probe_${randomBytes(6).toString('hex')}`;
  try {
    await sql.begin(async (tx) => {
      await tx.unsafe(`create table ${table} (b bytea)`);
      await tx.unsafe(`alter table ${table} alter column b set storage plain`);
      // Random bytes do not compress: the row takes half a page of its own.
      await tx.unsafe(`insert into ${table} values ($1)`, [randomBytes(4000)]);
      throw new ProbeDone();
    });
  } catch (e) {
    if (!(e instanceof ProbeDone)) return false;
  }
  health.fault = undefined;
  return true;
}

/** Connects to PostgreSQL at `url` (a pool of `max` connections). */
export function openPostgres(url: string, opts: { max?: number } = {}): Db {
  const sql = postgres(url, {
    max: opts.max ?? 10,
    onnotice: () => {},
    connection: { application_name: 'visor' },
  });
  const health: DbHealth = { fault: undefined };
  return {
    kind: 'postgres',
    ...queryable(sql, health),
    transaction: <T>(fn: (tx: Queryable) => Promise<T>) =>
      guardFaults(health, () => sql.begin((tx) => fn(queryable(tx, health))) as Promise<T>),
    writable: async () => !health.fault || probe(sql, health),
    async listen(channel, onMessage, onReconnect) {
      let connected = false;
      const sub = await sql.listen(channel, onMessage, () => {
        if (connected) onReconnect?.();
        connected = true;
      });
      return () => sub.unlisten();
    },
    close: () => sql.end({ timeout: 5 }),
  };
}
