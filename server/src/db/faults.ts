// Resource faults inside the database. PostgreSQL's (and PGlite's) SQLSTATE 53100 disk_full becomes
// StorageUnavailable (507, code 48) with a clear message, as a full disk does for image files, and marks the database
// unwritable so readiness answers 503 until a probe write succeeds again. PGlite cannot survive a full disk (a WAL
// write that fails is a PANIC that leaves the embedded database stuck), so it refuses writes while its disk has less
// than PGLITE_DISK_RESERVE free. 53200 out_of_memory and 53300 too_many_connections pass: they become Overloaded
// (503, code 40, Retry-After) and leave readiness alone.
import { statfs } from 'node:fs/promises';
import { Overloaded, StorageUnavailable } from '../../../shared/errors.js';

/** PostgreSQL's SQLSTATE for "could not extend file / write …: No space left on device". */
export const DISK_FULL = '53100';
/** PostgreSQL's SQLSTATE for "out of memory". */
export const OUT_OF_MEMORY = '53200';
/** PostgreSQL's SQLSTATE for "too many connections" (max_connections, or a role's or database's CONNECTION LIMIT). */
export const TOO_MANY_CONNECTIONS = '53300';

/** Clear messages for the database faults that pass: the client is told to come back (503 + Retry-After). */
const PASSING: Record<string, string> = {
  [OUT_OF_MEMORY]: `The database ran out of memory (SQLSTATE ${OUT_OF_MEMORY}): try again in a moment; nothing was saved`,
  [TOO_MANY_CONNECTIONS]: `The database has no free connection (SQLSTATE ${TOO_MANY_CONNECTIONS}): try again in a moment; nothing was saved`,
};

/** Free bytes PGlite keeps in reserve: four 16 MB WAL segments. */
export const PGLITE_DISK_RESERVE = 64 * 1024 * 1024;

/** The last disk fault of a database, cleared by a probe write that succeeds. */
export interface DbHealth {
  fault: string | undefined;
}

/** A clear message when `e` is the database's disk-full error, else undefined (then it stays what it was). */
export function dbDiskFault(e: unknown): string | undefined {
  if ((e as { code?: unknown } | undefined)?.code !== DISK_FULL) return undefined;
  return `The disk holding the database is full (SQLSTATE ${DISK_FULL}): free space, then retry; nothing was saved`;
}

/**
 * Runs `work`, turning the database's disk-full error into StorageUnavailable (recorded in `health`) and its
 * out-of-memory and too-many-connections errors into Overloaded; other errors stay what they were.
 */
export async function guardFaults<T>(health: DbHealth, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    const fault = dbDiskFault(e);
    const passing = PASSING[String((e as { code?: unknown } | undefined)?.code)];
    if (!fault && !passing) throw e;
    if (fault) health.fault = fault;
    const err = fault ? new StorageUnavailable(fault) : new Overloaded(passing);
    err.cause = e;
    throw err;
  }
}

/** Free bytes for unprivileged writers on the filesystem holding `dir`. */
export async function freeBytes(dir: string): Promise<number> {
  const s = await statfs(dir);
  return s.bavail * s.bsize;
}

/** Throws StorageUnavailable (and records it) when the filesystem of PGlite's `dir` has less than `reserve` free. */
export async function checkReserve(dir: string, reserve: number, health: DbHealth): Promise<void> {
  const free = await freeBytes(dir);
  if (free >= reserve) return;
  const mb = (n: number) => `${Math.floor(n / (1024 * 1024))} MB`;
  health.fault = `The disk holding the embedded database has ${mb(free)} free, under the ${mb(reserve)} it keeps in reserve: free space, then retry; nothing was saved`;
  throw new StorageUnavailable(health.fault);
}
