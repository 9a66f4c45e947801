// Embedded PGlite adapter, used when DATABASE_URL is unset: one process owns `dir`, guarded by ./lock.ts.
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { mkdirSync } from 'node:fs';
import { StorageUnavailable } from '../../../shared/errors.js';
import { checkReserve, freeBytes, guardFaults, PGLITE_DISK_RESERVE, type DbHealth } from './faults.js';
import { lockDataDir, type LockLog } from './lock.js';
import type { Db, Queryable } from './types.js';

export { DatabaseLocked } from './lock.js';

/** Where lock take-overs are reported when the caller gives no logger (the CLI): one line on stderr. */
const stderrLog: LockLog = (message, fields) =>
  process.stderr.write(`visor: ${message} ${JSON.stringify(fields)}\n`);

/** Statements that only read: they run whatever the free space (anything else may need the disk). */
const READ_ONLY = /^\s*(select|show)\b/i;

/** What keeps writes off a full disk: the data folder, the free space kept in reserve, the fault last seen. */
interface DiskGuard {
  dir: string;
  reserve: number;
  health: DbHealth;
  /** Set by a PANIC: the embedded database cannot run another statement until the process restarts. */
  stopped?: string;
}

/** Refuses a write while the disk is under the reserve, and any statement after PGlite stopped. */
async function beforeStatement(guard: DiskGuard, text: string | undefined): Promise<void> {
  if (guard.stopped) throw new StorageUnavailable(guard.stopped);
  if (text === undefined || !READ_ONLY.test(text)) await checkReserve(guard.dir, guard.reserve, guard.health);
}

/** Runs a statement; a disk-full error is StorageUnavailable, a PANIC (WAL write failed) stops the database. */
function run<T>(guard: DiskGuard, work: () => Promise<T>): Promise<T> {
  return guardFaults(guard.health, work).catch((e: unknown) => {
    const cause = e instanceof StorageUnavailable ? e.cause : e;
    if ((cause as { severity?: string } | undefined)?.severity === 'PANIC')
      guard.stopped =
        'The embedded database stopped after a disk fault (PostgreSQL PANIC): free space and restart Visor';
    throw e;
  });
}

function queryable(db: PGlite | Transaction, guard: DiskGuard): Queryable {
  return {
    async query<T extends object>(text: string, params: readonly unknown[] = []) {
      await beforeStatement(guard, text);
      return run(guard, async () => (await db.query<T>(text, params as unknown[])).rows);
    },
    async exec(script: string) {
      await beforeStatement(guard, script);
      await run(guard, () => db.exec(script));
    },
  };
}

/**
 * Opens (creating if needed) the PGlite database stored in `dir`; `pgvector` loads the vector extension; `log`
 * hears about a stale lock taken over.
 */
export async function openPglite(
  dir: string,
  opts: { pgvector?: boolean; log?: LockLog; diskReserve?: number } = {},
): Promise<Db> {
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
  const guard: DiskGuard = {
    dir,
    reserve: opts.diskReserve ?? PGLITE_DISK_RESERVE,
    health: { fault: undefined },
  };
  return {
    kind: 'pglite',
    ...queryable(pg, guard),
    transaction: async (fn) => {
      await beforeStatement(guard, undefined);
      return run(guard, () => pg.transaction((tx) => fn(queryable(tx, guard))));
    },
    async writable() {
      if (guard.stopped) return false;
      if (guard.health.fault && (await freeBytes(dir)) >= guard.reserve) guard.health.fault = undefined;
      return !guard.health.fault;
    },
    async listen(channel, onMessage) {
      const unsubscribe = await pg.listen(channel, onMessage);
      return () => unsubscribe();
    },
    async close() {
      try {
        // After a PANIC PGlite never answers again: closing it would hang.
        if (!guard.stopped) await pg.close();
      } finally {
        unlock();
      }
    },
  };
}
