// PostgreSQL adapter (porsager `postgres`), used when DATABASE_URL is set.
import postgres from 'postgres';
import type { Db, Queryable } from './types.js';

type Sql = postgres.Sql | postgres.TransactionSql;

function queryable(sql: Sql): Queryable {
  return {
    async query<T extends object>(text: string, params: readonly unknown[] = []) {
      const rows = await sql.unsafe(text, params as postgres.ParameterOrJSON<never>[]);
      return [...rows] as unknown as T[];
    },
    async exec(script: string) {
      await sql.unsafe(script).simple();
    },
  };
}

/** Connects to PostgreSQL at `url` (a pool of `max` connections). */
export function openPostgres(url: string, opts: { max?: number } = {}): Db {
  const sql = postgres(url, {
    max: opts.max ?? 10,
    onnotice: () => {},
    connection: { application_name: 'visor' },
  });
  return {
    kind: 'postgres',
    ...queryable(sql),
    transaction: <T>(fn: (tx: Queryable) => Promise<T>) => sql.begin((tx) => fn(queryable(tx))) as Promise<T>,
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
