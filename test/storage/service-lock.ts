// Holding a service's change-log lock (008_sync_log_order.sql) from another PostgreSQL connection, so that tests can
// queue writes behind it in a known order: every collection write takes the lock first (collections/write.ts
// serviceWrite), and PostgreSQL grants a waiting lock in the order it was asked for.
import type { Db } from '../../server/src/db/types.js';

export interface HeldServiceLog {
  /** Resolves once `n` transactions wait for the lock (they are granted it in that order). */
  queued(n: number): Promise<void>;
  /** Lets the waiting writes go (in the order they queued) and ends the holding transaction. */
  release(): Promise<void>;
}

/** Takes service `serviceId`'s change-log lock in a transaction on `other` and holds it until `release()`. */
export async function holdServiceLog(other: Db, serviceId: string): Promise<HeldServiceLog> {
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let locked!: () => void;
  const taken = new Promise<void>((r) => (locked = r));
  const tx = other.transaction(async (t) => {
    await t.query('select sync_log_lock($1::uuid)', [serviceId]);
    locked();
    await held;
  });
  await taken;
  return {
    async queued(n) {
      for (;;) {
        // waiting for this service's log lock (sync_log_lock's two keys), in this database
        const [r] = await other.query<{ n: number }>(
          `select count(*)::int as n from pg_locks
            where locktype = 'advisory' and not granted and objsubid = 2 and classid::bigint = 1937337955
              and objid::bigint = hashtext($1)::bigint & 4294967295
              and database = (select oid from pg_database where datname = current_database())`,
          [serviceId],
        );
        if (r.n >= n) return;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
    async release() {
      release();
      await tx;
    },
  };
}
