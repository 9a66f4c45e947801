// The one way the collection store writes: a database transaction that may stage image files, publishes exactly
// one index notification inside it (so listeners hear of the change only once it is committed), then removes
// the files of what was deleted and updates this process's own search index.
import { ServiceDeleted } from '../../../shared/errors.js';
import type { Db, Queryable } from '../db/types.js';
import { publishIndexChange, type IndexChange } from '../repositories/index-changes.js';
import type { ImageStore, StagedImage } from '../repositories/images.js';
import { lockChangeLog } from '../repositories/sync.js';
import type { SearchIndexes, ServiceIndex } from '../search/service-indexes.js';

/** A change as an operation describes it; the store adds its origin. */
export type Change =
  | { service: string; op: 'add' | 'remove'; ids: string[] }
  | { service: string; op: 'reload' }
  | { op: 'drop'; services: string[] };

export interface StoreCtx {
  db: Db;
  images: ImageStore;
  /** This process's search indexes, updated after each commit; absent where none are held (CLI, tests). */
  indexes?: Pick<SearchIndexes, 'apply' | 'applyOwn' | 'since'>;
  origin: string;
}

/** What one operation did inside its transaction. */
export interface Done<T> {
  value: T;
  /** The one notification (none when the index is not affected, e.g. an empty subject). */
  change?: Change;
  /** Files of deleted examples, removed after the commit. */
  removedFiles?: readonly (string | null)[];
  /** Folders of deleted services, removed after the commit. */
  removedServices?: readonly string[];
  /** A cheaper local update than re-reading (e.g. a rename); otherwise `change` is applied as others apply it. */
  local?: (index: ServiceIndex) => void;
}

/**
 * Writes an example's image file inside the operation (`imagePath` null when images are stored in the database);
 * the file is removed again if the transaction fails, or by `discard` if the operation drops the example.
 */
export type Stage = (serviceId: string, exampleId: string, bytes: Uint8Array) => Promise<StagedImage>;

/**
 * A write to one service's collection: its change log is locked first, before any row is written, as the log's
 * triggers lock it before numbering a change (one order of locks for every writer of the service: no deadlock).
 * ServiceDeleted when the service was deleted meanwhile (the request resolved its key before the deletion).
 */
export const serviceWrite = <T>(
  ctx: StoreCtx,
  service: string,
  work: (tx: Queryable, stage: Stage) => Promise<Done<T>>,
): Promise<T> => write(ctx, work, service);

/** Runs `work` in one transaction (see serviceWrite for `service`). */
export async function write<T>(
  ctx: StoreCtx,
  work: (tx: Queryable, stage: Stage) => Promise<Done<T>>,
  service?: string,
): Promise<T> {
  const discards: (() => Promise<void>)[] = [];
  const stage: Stage = async (serviceId, exampleId, bytes) => {
    const staged = await ctx.images.stage(serviceId, exampleId, bytes);
    discards.push(staged.discard);
    return staged;
  };
  // before the transaction: a change the index queues from here on may be later than this write's
  const since = ctx.indexes?.since();
  let done: Done<T>;
  try {
    done = await ctx.db.transaction(async (tx) => {
      if (service && !(await lockChangeLog(tx, service))) throw new ServiceDeleted();
      const d = await work(tx, stage);
      if (d.change) await publishIndexChange(tx, { ...d.change, origin: ctx.origin } as IndexChange);
      return d;
    });
  } catch (e) {
    await Promise.all(discards.map((d) => d()));
    throw e;
  }
  await ctx.images.removeFiles(done.removedFiles ?? []);
  if (done.removedServices?.length) await ctx.images.removeServiceDirs(done.removedServices);
  const { change, local } = done;
  if (ctx.indexes && change) {
    if (local && 'service' in change) await ctx.indexes.apply(change.service, local, since);
    else await ctx.indexes.applyOwn({ ...change, origin: ctx.origin } as IndexChange, since);
  }
  return done.value;
}
