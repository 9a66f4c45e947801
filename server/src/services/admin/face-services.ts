// Face services inside an application: list with collection sizes, create, rename, clone (copies the
// collection), new API key, delete, and per-day request statistics. Members see them and their keys;
// owners and administrators change them. Clone and delete go through the collection store (server/src/collections).
import { embedderModel } from '../../../../shared/engine/embedders.js';
import { AdminNotFound } from '../../../../shared/errors.js';
import {
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
import type { AdminCtx } from './context.js';
import type { AppAction } from './roles.js';
import { checkId } from './validate.js';

export interface FaceServiceView extends AppServiceRow {
  subjects: number;
  images: number;
}

/** The one thing face services need of the applications service; narrow, so that file need not be imported. */
interface AppAccess {
  access(user: UserRow, appId: string, action: AppAction): Promise<{ id: string }>;
}

export function faceServiceAdmin(ctx: AdminCtx, apps: AppAccess) {
  const { db, collections } = ctx;

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
      /** Checked (validate.ts: checkName, serviceType, minSimilarity). */
      input: {
        name: string;
        type: ServiceType;
        minSimilarity?: number | null;
        /** Checked by the face services' chooseEmbedder (issue 17.1); absent = the database default. */
        embedder?: { model: string; version: number };
      },
    ): Promise<FaceServiceView> {
      const app = await apps.access(user, appId, 'manage');
      const row = await insertService(db, {
        applicationId: app.id,
        type: input.type,
        name: input.name,
        minSimilarity: input.minSimilarity ?? null,
        embedder: input.embedder,
      });
      return { ...(await find(app.id, row.id)), subjects: 0, images: 0 };
    },

    /** Renames and/or sets the service's minimum similarity (null = the server default). */
    async update(
      user: UserRow,
      appId: string,
      serviceId: string,
      patch: { name?: string; minSimilarity?: number | null },
    ): Promise<FaceServiceView> {
      const app = await apps.access(user, appId, 'manage');
      const row = await find(app.id, serviceId);
      const { name = row.name, minSimilarity = row.minSimilarity } = patch;
      await updateService(db, row.id, { name, minSimilarity });
      return this.get(user, app.id, row.id);
    },

    /** A new service of the same type and settings, with a copy of the collection and its own API key. */
    async clone(user: UserRow, appId: string, serviceId: string, name?: string): Promise<FaceServiceView> {
      const app = await apps.access(user, appId, 'manage');
      const from = await find(app.id, serviceId);
      const n = name ?? `${from.name} (copy)`.slice(0, 100);
      const to = await collections.cloneService(from.id, {
        applicationId: app.id,
        type: from.type,
        name: n,
        minSimilarity: from.minSimilarity,
        // the copy's embeddings are the original's: same embedder (`model@version`)
        embedder: {
          model: embedderModel(from.embedder),
          version: Number(from.embedder.split('@').at(-1)),
        },
      });
      return this.get(user, app.id, to.id);
    },

    /** Replaces the API key; the old value stops working at once on every process (keys are not cached). */
    async regenerateKey(user: UserRow, appId: string, serviceId: string): Promise<string> {
      const app = await apps.access(user, appId, 'manage');
      const key = await regenerateApiKey(db, (await find(app.id, serviceId)).id);
      if (!key) throw new AdminNotFound('Face service not found');
      return key;
    },

    async remove(user: UserRow, appId: string, serviceId: string): Promise<void> {
      const app = await apps.access(user, appId, 'manage');
      const row = await find(app.id, serviceId);
      await collections.deleteService(row);
    },

    /** Requests per day over the last `days` days (1 to 366, checked by the contract) and the collection size. */
    async stats(
      user: UserRow,
      appId: string,
      serviceId: string,
      days = 30,
    ): Promise<{ subjects: number; images: number; requests: { day: string; count: number }[] }> {
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
