// Example images: bytes in the database (SAVE_IMAGES_TO_DB, the default) or files under VISOR_DATA_DIR/images.
// Files are written before the row's transaction and removed if it fails (image-files.ts: `.part` + rename, disk
// faults as 507); files left by a crash are swept at start and every IMAGE_SWEEP_INTERVAL seconds.
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Queryable } from '../db/types.js';
import { existingExampleIds } from './examples.js';
import { probeWritable, writeImageFile, type DiskHealth } from './image-files.js';

export interface StoredBytes {
  bytes: Uint8Array;
  contentType: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An image file written for an example inside a transaction. */
export interface StagedImage {
  /** Relative to VISOR_DATA_DIR/images; null in database mode. */
  imagePath: string | null;
  /** Removes the file again. */
  discard(): Promise<void>;
}

export interface ImageStore {
  readonly inDb: boolean;
  /**
   * Writes the file of a new example (file mode) before its row exists; returns the `image_path` to store
   * (null in database mode) and `discard` to call if the transaction fails.
   */
  stage(serviceId: string, exampleId: string, bytes: Uint8Array): Promise<StagedImage>;
  /** File mode: whether the images folder takes writes (false after a disk fault until a write succeeds). */
  writable(): Promise<boolean>;
  /** Inside the example's transaction: stores the bytes (database mode; no-op in file mode). */
  saveRow(q: Queryable, exampleId: string, bytes: Uint8Array): Promise<void>;
  read(q: Queryable, serviceId: string, exampleId: string): Promise<StoredBytes | undefined>;
  /** After a delete committed: removes the files of the deleted examples. */
  removeFiles(paths: readonly (string | null)[]): Promise<void>;
  /** After deleting services: removes their folders (file mode; nothing to do in database mode). */
  removeServiceDirs(serviceIds: readonly string[]): Promise<void>;
  /**
   * Deletes image files, older than `olderThanMs` (default 15 min), whose example row does not exist
   * (left by a crash between writing the file and committing the row). Returns how many.
   */
  sweepOrphans(q: Queryable, olderThanMs?: number): Promise<number>;
}

export function createImageStore(opts: { dataDir: string; inDb: boolean }): ImageStore {
  const root = join(opts.dataDir, 'images');
  const health: DiskHealth = { fault: undefined };
  return {
    inDb: opts.inDb,
    writable: async () => opts.inDb || (await probeWritable(root, health)),
    async stage(serviceId, exampleId, bytes) {
      if (opts.inDb) return { imagePath: null, discard: async () => {} };
      const imagePath = `${serviceId}/${exampleId}`;
      const file = join(root, imagePath);
      await writeImageFile(file, bytes, health);
      return { imagePath, discard: () => rm(file, { force: true }) };
    },
    async saveRow(q, exampleId, bytes) {
      if (opts.inDb)
        await q.query('insert into example_images (example_id, data) values ($1, $2)', [exampleId, bytes]);
    },
    async read(q, serviceId, exampleId) {
      const rows = await q.query<{ contentType: string; imagePath: string | null; data: Uint8Array | null }>(
        `select e.content_type as "contentType", e.image_path as "imagePath", i.data
           from examples e left join example_images i on i.example_id = e.id
          where e.service_id = $1 and e.id = $2`,
        [serviceId, exampleId],
      );
      const row = rows[0];
      if (!row) return undefined;
      if (row.data) return { bytes: row.data, contentType: row.contentType };
      if (!row.imagePath) return undefined;
      try {
        return { bytes: await readFile(join(root, row.imagePath)), contentType: row.contentType };
      } catch {
        return undefined;
      }
    },
    async removeFiles(paths) {
      await Promise.all(paths.filter((p): p is string => !!p).map((p) => rm(join(root, p), { force: true })));
    },
    async removeServiceDirs(ids) {
      await Promise.all(
        ids.filter((id) => UUID.test(id)).map((id) => rm(join(root, id), { recursive: true, force: true })),
      );
    },
    async sweepOrphans(q, olderThanMs = 15 * 60_000) {
      let removed = 0;
      const cutoff = Date.now() - olderThanMs;
      const services = await readdir(root).catch(() => [] as string[]);
      for (const service of services) {
        const names = await readdir(join(root, service)).catch(() => [] as string[]);
        // Another process may be between writing a file and committing its row: only old files are orphans.
        const old: string[] = [];
        for (const n of names) {
          const s = await stat(join(root, service, n)).catch(() => undefined);
          if (s?.isFile() && s.mtimeMs <= cutoff) old.push(n);
        }
        const live = new Set<string>();
        const ids = old.filter((n) => UUID.test(n));
        for (let i = 0; i < ids.length; i += 1000) {
          for (const id of await existingExampleIds(q, ids.slice(i, i + 1000))) live.add(id);
        }
        const dead = old.filter((n) => n.endsWith('.part') || (UUID.test(n) && !live.has(n)));
        await Promise.all(dead.map((n) => rm(join(root, service, n), { force: true })));
        removed += dead.length;
      }
      return removed;
    },
  };
}
