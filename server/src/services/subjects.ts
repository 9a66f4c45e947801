// Subject rules: names compare case-insensitively, renaming onto an existing name merges, deleting removes examples.
import { SubjectExists, SubjectNotFound } from '../../../shared/errors.js';
import type { Queryable } from '../db/types.js';
import * as subjects from '../repositories/subjects.js';
import type { Ctx } from './context.js';
import type { FaceServices, ServiceRef } from './types.js';
import { checkSubjectName } from './validate.js';

type SubjectServices = Pick<
  FaceServices,
  'createSubject' | 'listSubjects' | 'renameSubject' | 'deleteSubject' | 'deleteAllSubjects'
>;

async function existing(q: Queryable, svc: ServiceRef, name: string) {
  const row = await subjects.findSubject(q, svc.id, name);
  if (!row) throw new SubjectNotFound(name);
  return row;
}

export function subjectServices(ctx: Pick<Ctx, 'db' | 'indexes' | 'images'>): SubjectServices {
  const { db, indexes, images } = ctx;
  return {
    async createSubject(svc, subject) {
      const row = await subjects.insertSubject(db, svc.id, checkSubjectName(subject));
      if (!row) throw new SubjectExists();
      return { subject: row.name };
    },

    listSubjects: (svc) => subjects.listSubjectNames(db, svc.id),

    async renameSubject(svc, from, to) {
      checkSubjectName(to);
      const done = await db.transaction(async (tx) => {
        const source = await existing(tx, svc, from);
        if (source.name === to) return undefined;
        const target = await subjects.findSubject(tx, svc.id, to);
        const merged = target && target.id !== source.id ? target : undefined;
        if (merged) {
          await subjects.reassignExamples(tx, source.id, merged.id);
          await subjects.deleteSubject(tx, source.id);
        } else {
          await subjects.renameSubject(tx, source.id, to);
        }
        await indexes.publish(tx, svc.id, { op: 'reload' });
        return { source, merged };
      });
      if (!done) return { updated: false };
      const { source, merged } = done;
      await indexes.apply(svc.id, (index) => {
        if (merged) {
          index.vectors.reassignSubject(source.id, merged.id);
          index.names.delete(source.id);
          index.names.set(merged.id, merged.name);
        } else if (index.names.has(source.id)) {
          index.names.set(source.id, to);
        }
      });
      return { updated: true };
    },

    async deleteSubject(svc, subject) {
      const row = await existing(db, svc, subject);
      const { imagePaths } = await db.transaction(async (tx) => {
        const r = await subjects.deleteSubject(tx, row.id);
        await indexes.publish(tx, svc.id, { op: 'reload' });
        return r;
      });
      await images.removeFiles(imagePaths);
      await indexes.apply(svc.id, (index) => {
        index.vectors.removeSubject(row.id);
        index.names.delete(row.id);
      });
      return { subject: row.name };
    },

    async deleteAllSubjects(svc) {
      const { deleted, imagePaths } = await db.transaction(async (tx) => {
        const r = await subjects.deleteAllSubjects(tx, svc.id);
        await indexes.publish(tx, svc.id, { op: 'reload' });
        return r;
      });
      await images.removeFiles(imagePaths);
      await indexes.apply(svc.id, (index) => {
        index.vectors.clear();
        index.names.clear();
      });
      return { deleted };
    },
  };
}
