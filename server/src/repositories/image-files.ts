// Writing example image files safely (SAVE_IMAGES_TO_DB=false): bytes go to `<file>.part`, then a rename; a failed
// write removes its `.part`. Disk faults (full disk or quota, read-only or unwritable folder, a file where a folder
// should be) become StorageUnavailable (507, code 48) with a clear message, and mark the folder unwritable so
// readiness answers 503 until a write succeeds again (a probe write from the readiness check counts).
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { StorageUnavailable } from '../../../shared/errors.js';

const FULL = new Set(['ENOSPC', 'EDQUOT', 'EFBIG']);
const NOT_WRITABLE = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'EEXIST', 'EISDIR']);

/** The last disk fault of a folder, cleared by the next successful write. */
export interface DiskHealth {
  fault: string | undefined;
}

/** A clear message for a disk fault, or undefined when `e` is not one (then it stays a 500). */
export function diskFault(e: unknown): string | undefined {
  const code = (e as NodeJS.ErrnoException | undefined)?.code ?? '';
  if (FULL.has(code)) return `The disk holding the images folder is full (${code}): free space, then retry`;
  if (NOT_WRITABLE.has(code)) {
    return `The images folder cannot be written (${code}: read-only, no permission, or not a folder): fix it, then retry`;
  }
  return undefined;
}

/** Writes `bytes` to `file` through `<file>.part` and a rename; throws StorageUnavailable on a disk fault. */
export async function writeImageFile(file: string, bytes: Uint8Array, health: DiskHealth): Promise<void> {
  const part = `${file}.part`;
  try {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(part, bytes);
    await rename(part, file);
  } catch (e) {
    await rm(part, { force: true }).catch(() => {});
    const fault = diskFault(e);
    if (!fault) throw e;
    health.fault = fault;
    throw new StorageUnavailable(fault);
  }
  health.fault = undefined;
}

/**
 * Whether the folder `root` takes writes: true at once while no fault is known; after a fault, a small probe
 * file is written and removed, so the folder counts as writable again once the fault is fixed.
 */
export async function probeWritable(root: string, health: DiskHealth): Promise<boolean> {
  if (!health.fault) return true;
  const probe = join(root, '.probe');
  try {
    await writeImageFile(probe, new Uint8Array([0]), health);
    await rm(probe, { force: true });
    return true;
  } catch {
    return false;
  }
}
