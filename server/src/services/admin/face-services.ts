// Face services inside an application: list with collection sizes, create, rename, clone (copies the
// collection), new API key, delete, and per-day request statistics. Members see them and their keys;
// owners and administrators change them. Other server processes hear of collection changes by NOTIFY.
import { AdminNotFound, ValidationError } from '../../../../shared/errors.js';
import type { Queryable } from '../../db/types.js';
import { publishIndexChange } from '../../repositories/index-changes.js';
import {
  copyCollection,
  deleteService,
  findApplicationService,
  insertService,
  listApplicationServices,
  regenerateApiKey,
  updateService,
  type AppServiceRow,
} from '../../repositories/services.js';
import { countCollections, listDailyRequests } from '../../repositories/stats.js';
import type { UserRow } from '../../repositories/users.js';
import type { ServiceType } from '../types.js';
import type { ApplicationServices } from './applications.js';
import type { AdminCtx } from './context.js';
import { checkId, checkName } from './validate.js';

const TYPES: readonly ServiceType[] = ['recognition', 'detection', 'verification'];
/** Not a process's own origin: every process, this one included, applies these changes. */
const ADMIN_ORIGIN = 'admin';

export interface FaceServiceView extends AppServiceRow {
  subjects: number;
  images: number;
}

/** Inside the deleting transaction: tells every process's search index to drop these services. */
export async function notifyServicesGone(
  q: Queryable,
  services: readonly { id: string; type: ServiceType }[],
) {
  for (const s of services)
    if (s.type === 'recognition')
      await publishIndexChange(q, { origin: ADMIN_ORIGIN, service: s.id, op: 'reload' });
}

function parseType(type: unknown): ServiceType {
  const t = typeof type === 'string' ? type.toLowerCase() : '';
  if (!(TYPES as string[]).includes(t))
    throw new ValidationError('type must be RECOGNITION, DETECTION or VERIFICATION');
  return t as ServiceType;
}

function parseMinSimilarity(v: unknown): number | null {
  if (v === null) return null;
  if (typeof v !== 'number' || !(v >= 0 && v <= 1))
    throw new ValidationError('min_similarity must be between 0 and 1');
  return v;
}

export function faceServiceAdmin(ctx: AdminCtx, apps: ApplicationServices) {
  const { db, images } = ctx;

  async function find(appId: string, serviceId: string): Promise<AppServiceRow> {
    const row = await findApplicationService(db, appId, checkId(serviceId, 'Face service'));
    if (!row) throw new AdminNotFound('Face service not found');
    return row;
  }

  async function withCounts(appId: string, rows: AppServiceRow[]): Promise<FaceServiceView[]> {
    const counts = await countCollections(db, appId);
    return rows.map((r) => ({ ...r, ...(counts.get(r.id) ?? { subjects: 0, images: 0 }) }));
  }

  return {
    async list(user: UserRow, appId: string): Promise<FaceServiceView[]> {
      const app = await apps.access(user, appId, 'view');
      return withCounts(app.id, await listApplicationServices(db, app.id));
    },

    async get(user: UserRow, appId: string, serviceId: string): Promise<FaceServiceView> {
      const app = await apps.access(user, appId, 'view');
      return (await withCounts(app.id, [await find(app.id, serviceId)]))[0];
    },

    async create(
      user: UserRow,
      appId: string,
      input: { name: unknown; type: unknown; minSimilarity?: unknown },
    ): Promise<FaceServiceView> {
      const app = await apps.access(user, appId, 'manage');
      const row = await insertService(db, {
        applicationId: app.id,
        type: parseType(input.type),
        name: checkName(input.name, 'name'),
        minSimilarity: input.minSimilarity === undefined ? null : parseMinSimilarity(input.minSimilarity),
      });
      return { ...(await find(app.id, row.id)), subjects: 0, images: 0 };
    },

    /** Renames and/or sets the service's minimum similarity (null = the server default). */
    async update(
      user: UserRow,
      appId: string,
      serviceId: string,
      patch: { name?: unknown; minSimilarity?: unknown },
    ): Promise<FaceServiceView> {
      const app = await apps.access(user, appId, 'manage');
      const row = await find(app.id, serviceId);
      const name = patch.name === undefined ? row.name : checkName(patch.name, 'name');
      const minSimilarity =
        patch.minSimilarity === undefined ? row.minSimilarity : parseMinSimilarity(patch.minSimilarity);
      await updateService(db, row.id, { name, minSimilarity });
      return this.get(user, app.id, row.id);
    },

    /** A new service of the same type and settings, with a copy of the collection and its own API key. */
    async clone(user: UserRow, appId: string, serviceId: string, name?: unknown): Promise<FaceServiceView> {
      const app = await apps.access(user, appId, 'manage');
      const from = await find(app.id, serviceId);
      const n =
        name === undefined || name === '' ? `${from.name} (copy)`.slice(0, 100) : checkName(name, 'name');
      const staged: (() => Promise<void>)[] = [];
      try {
        const id = await db.transaction(async (tx) => {
          const to = await insertService(tx, {
            applicationId: app.id,
            type: from.type,
            name: n,
            minSimilarity: from.minSimilarity,
          });
          for (const f of await copyCollection(tx, from.id, to.id)) {
            const bytes = await images.read(tx, from.id, f.fromExampleId);
            if (!bytes) continue;
            const s = await images.stage(to.id, f.toExampleId, bytes.bytes);
            staged.push(s.discard);
          }
          if (to.type === 'recognition')
            await publishIndexChange(tx, { origin: ADMIN_ORIGIN, service: to.id, op: 'reload' });
          return to.id;
        });
        return this.get(user, app.id, id);
      } catch (e) {
        await Promise.all(staged.map((d) => d()));
        throw e;
      }
    },

    /** Replaces the API key; the old value stops working at once on every process (keys are not cached). */
    async regenerateKey(user: UserRow, appId: string, serviceId: string): Promise<string> {
      const app = await apps.access(user, appId, 'manage');
      return regenerateApiKey(db, (await find(app.id, serviceId)).id);
    },

    async remove(user: UserRow, appId: string, serviceId: string): Promise<void> {
      const app = await apps.access(user, appId, 'manage');
      const row = await find(app.id, serviceId);
      const { imagePaths } = await db.transaction(async (tx) => {
        const r = await deleteService(tx, row.id);
        await notifyServicesGone(tx, [row]);
        return r;
      });
      await images.removeFiles(imagePaths);
      await images.removeServiceDirs([row.id]);
    },

    /** Requests per day over the last `days` days and the collection size. */
    async stats(
      user: UserRow,
      appId: string,
      serviceId: string,
      days = 30,
    ): Promise<{ subjects: number; images: number; requests: { day: string; count: number }[] }> {
      if (!Number.isInteger(days) || days < 1 || days > 366)
        throw new ValidationError('days must be 1 to 366');
      const svc = await this.get(user, appId, serviceId);
      await ctx.flushRequestCounts?.();
      return {
        subjects: svc.subjects,
        images: svc.images,
        requests: await listDailyRequests(db, svc.id, days),
      };
    },
  };
}

export type FaceServiceAdmin = ReturnType<typeof faceServiceAdmin>;
