// Subject rules: names compare case-insensitively, renaming onto an existing name merges, deleting removes
// examples. The writes are the collection store's (server/src/collections).
import { SubjectExists } from '../../../shared/errors.js';
import { listSubjectNames } from '../repositories/subjects.js';
import type { Ctx } from './context.js';
import type { FaceServices } from './types.js';
import { checkSubjectName } from './validate.js';

type SubjectServices = Pick<
  FaceServices,
  'createSubject' | 'listSubjects' | 'renameSubject' | 'deleteSubject' | 'deleteAllSubjects'
>;

export function subjectServices(ctx: Pick<Ctx, 'db' | 'collections'>): SubjectServices {
  const { db, collections } = ctx;
  return {
    async createSubject(svc, subject) {
      const row = await collections.createSubject(svc.id, checkSubjectName(subject));
      if (!row) throw new SubjectExists();
      return { subject: row.name };
    },

    listSubjects: (svc) => listSubjectNames(db, svc.id),

    async renameSubject(svc, from, to) {
      return collections.renameSubject(svc.id, from, checkSubjectName(to));
    },

    deleteSubject: (svc, subject) => collections.deleteSubject(svc.id, subject),

    deleteAllSubjects: (svc) => collections.deleteAllSubjects(svc.id),
  };
}
