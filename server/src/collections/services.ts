// Whole-collection writes of the collection store: clone a service with its collection, delete services.
import type { ServiceType } from '../services/types.js';
import { deleteApplication } from '../repositories/applications.js';
import { copyCollection, deleteService, insertService } from '../repositories/services.js';
import { lockApplicationLogs } from '../repositories/sync.js';
import type { Queryable } from '../db/types.js';
import { serviceWrite, write, type StoreCtx } from './write.js';

const recognitionIds = (services: readonly { id: string; type: ServiceType }[]) =>
  services.filter((s) => s.type === 'recognition').map((s) => s.id);

export function serviceWrites(ctx: StoreCtx) {
  return {
    /** Creates the service `to` with a copy of `fromId`'s collection (new ids; images copied in either mode). */
    cloneService: (fromId: string, to: Parameters<typeof insertService>[1]) =>
      write(ctx, async (tx, stage) => {
        const svc = await insertService(tx, to);
        for (const f of await copyCollection(tx, fromId, svc.id)) {
          const stored = await ctx.images.read(tx, fromId, f.fromExampleId);
          if (stored) await stage(svc.id, f.toExampleId, stored.bytes);
        }
        return {
          value: svc,
          change: svc.type === 'recognition' ? { service: svc.id, op: 'reload' as const } : undefined,
        };
      }),

    /**
     * A change to what a recognition service's index holds as a whole (e.g. switching its embedder, issue 17.1):
     * `work` writes it in the store's transaction; one reload notification, and this process's index re-reads it.
     */
    changeService: <T>(serviceId: string, work: (tx: Queryable) => Promise<T>) =>
      serviceWrite(ctx, serviceId, async (tx) => ({
        value: await work(tx),
        change: { service: serviceId, op: 'reload' as const },
      })),

    /** Deletes the service with its collection and image files. */
    deleteService: (service: { id: string; type: ServiceType }) =>
      serviceWrite(ctx, service.id, async (tx) => {
        const { imagePaths } = await deleteService(tx, service.id);
        return {
          value: undefined,
          change: { op: 'drop' as const, services: recognitionIds([service]) },
          removedFiles: imagePaths,
          removedServices: [service.id],
        };
      }),

    /** Deletes the application with its services, collections, image files and members. */
    deleteApplication: (applicationId: string) =>
      write(ctx, async (tx) => {
        await lockApplicationLogs(tx, applicationId);
        const { services, imagePaths } = await deleteApplication(tx, applicationId);
        return {
          value: undefined,
          change: { op: 'drop' as const, services: recognitionIds(services) },
          removedFiles: imagePaths,
          removedServices: services.map((s) => s.id),
        };
      }),
  };
}
