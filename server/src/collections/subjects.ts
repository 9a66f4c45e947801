// Subject writes of the collection store: create, rename (onto an existing name: merge), delete with examples.
import { SubjectNotFound } from '../../../shared/errors.js';
import type { Queryable } from '../db/types.js';
import * as subjects from '../repositories/subjects.js';
import { serviceWrite, type StoreCtx } from './write.js';

async function existing(q: Queryable, serviceId: string, name: string) {
  const row = await subjects.findSubject(q, serviceId, name);
  if (!row) throw new SubjectNotFound(name);
  return row;
}

export function subjectWrites(ctx: StoreCtx) {
  return {
    /** Undefined when a subject of that name (any case) exists. No notification: an empty subject is in no index. */
    createSubject: (serviceId: string, name: string) =>
      serviceWrite(ctx, serviceId, async (tx) => ({
        value: await subjects.insertSubject(tx, serviceId, name),
      })),

    /** Renames `from` (SubjectNotFound if missing); onto another existing subject, merges into it. */
    renameSubject: (serviceId: string, from: string, to: string) =>
      serviceWrite(ctx, serviceId, async (tx) => {
        const source = await existing(tx, serviceId, from);
        if (source.name === to) return { value: { updated: false } };
        const target = await subjects.findSubject(tx, serviceId, to);
        const merged = target && target.id !== source.id ? target : undefined;
        if (merged) {
          await subjects.reassignExamples(tx, source.id, merged.id);
          await subjects.deleteSubject(tx, source.id);
        } else {
          await subjects.renameSubject(tx, source.id, to);
        }
        return {
          value: { updated: true },
          change: { service: serviceId, op: 'reload' },
          local: (index) => {
            if (merged) {
              index.vectors.reassignSubject(source.id, merged.id);
              index.names.delete(source.id);
              index.names.set(merged.id, merged.name);
            } else if (index.names.has(source.id)) {
              index.names.set(source.id, to);
            }
          },
        };
      }),

    /** Deletes the subject with its examples (SubjectNotFound if missing); returns its stored name. */
    deleteSubject: (serviceId: string, name: string) =>
      serviceWrite(ctx, serviceId, async (tx) => {
        const row = await existing(tx, serviceId, name);
        const { imagePaths } = await subjects.deleteSubject(tx, row.id);
        return {
          value: { subject: row.name },
          change: { service: serviceId, op: 'reload' },
          removedFiles: imagePaths,
          local: (index) => {
            index.vectors.removeSubject(row.id);
            index.names.delete(row.id);
          },
        };
      }),

    /** Deletes every subject of the service with their examples; returns how many subjects. */
    deleteAllSubjects: (serviceId: string) =>
      serviceWrite(ctx, serviceId, async (tx) => {
        const { deleted, imagePaths } = await subjects.deleteAllSubjects(tx, serviceId);
        return {
          value: { deleted },
          change: { service: serviceId, op: 'reload' },
          removedFiles: imagePaths,
          local: (index) => {
            index.vectors.clear();
            index.names.clear();
          },
        };
      }),
  };
}
