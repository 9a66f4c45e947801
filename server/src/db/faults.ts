// Disk faults inside the database: PostgreSQL's (and PGlite's) SQLSTATE 53100 disk_full becomes StorageUnavailable
// (507, code 48) with a clear message, as a full disk does for image files, and marks the database unwritable so
// readiness answers 503 until a probe write succeeds again. PGlite cannot survive a full disk (a WAL write that
// fails is a PANIC that leaves the embedded database stuck), so it refuses writes while its disk has less than
// PGLITE_DISK_RESERVE free.
import { statfs } from 'node:fs/promises';
import { StorageUnavailable } from '../../../shared/errors.js';

/** PostgreSQL's SQLSTATE for "could not extend file / write …: No space left on device". */
export const DISK_FULL = '53100';

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

/** Runs `work`, turning the database's disk-full error into StorageUnavailable and recording it in `health`. */
export async function guardDisk<T>(health: DbHealth, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    const fault = dbDiskFault(e);
    if (!fault) throw e;
    health.fault = fault;
    const err = new StorageUnavailable(fault);
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
