// Face examples: add (one face, embedded, stored with its image atomically), list, delete, download.
import { randomUUID } from 'node:crypto';
import { ImageNotFound } from '../../../shared/errors.js';
import type { Queryable } from '../db/types.js';
import { sniffFormat } from '../image/sniff.js';
import * as examples from '../repositories/examples.js';
import { insertEmbedding } from '../repositories/embeddings.js';
import { deleteSubject, findOrInsertSubject, findSubject } from '../repositories/subjects.js';
import { analyzeImage, embeddingOf, singleFace } from './analyze.js';
import type { Ctx } from './context.js';
import type { FaceExample, FaceServices, ServiceRef } from './types.js';
import { checkPaging, checkSubjectName, isUuid } from './validate.js';

type ExampleServices = Pick<
  FaceServices,
  | 'addExample'
  | 'listExamples'
  | 'deleteExamplesBySubject'
  | 'deleteExample'
  | 'deleteExamples'
  | 'getExampleImage'
>;

const contentTypeOf = (bytes: Uint8Array) => {
  const f = sniffFormat(bytes);
  return f ? (f === 'ico' ? 'image/x-icon' : `image/${f}`) : 'application/octet-stream';
};

const toExample = (r: { id: string; subject: string }): FaceExample => ({
  image_id: r.id,
  subject: r.subject,
});

export function exampleServices(ctx: Ctx): ExampleServices {
  const { db, engine, indexes, images } = ctx;

  /** Deletes rows in one transaction, then their files, then updates the index. */
  async function remove(svc: ServiceRef, del: (q: Queryable) => Promise<examples.ExampleRow[]>) {
    const rows = await db.transaction(async (tx) => {
      const r = await del(tx);
      await indexes.publish(tx, svc.id, { op: 'remove', ids: r.map((x) => x.id) });
      return r;
    });
    await images.removeFiles(rows.map((r) => r.imagePath));
    await indexes.apply(svc.id, (index) => rows.forEach((r) => index.vectors.remove(r.id)));
    return rows;
  }

  return {
    async addExample(svc, subject, image, q) {
      checkSubjectName(subject);
      const face = singleFace(
        await analyzeImage(ctx, image, { embed: true, detProbThreshold: q.detProbThreshold }),
      );
      const vector = embeddingOf(face);
      const id = randomUUID();
      const staged = await images.stage(svc.id, id, image.bytes);
      let row: { id: string; name: string };
      try {
        row = await db.transaction(async (tx) => {
          const s = await findOrInsertSubject(tx, svc.id, subject);
          await examples.insertExample(tx, {
            id,
            serviceId: svc.id,
            subjectId: s.id,
            contentType: contentTypeOf(image.bytes),
            imagePath: staged.imagePath,
          });
          await images.saveRow(tx, id, image.bytes);
          await insertEmbedding(tx, id, engine.embedderId, vector);
          await indexes.publish(tx, svc.id, { op: 'add', ids: [id] });
          return s;
        });
      } catch (e) {
        await staged.discard();
        throw e;
      }
      await indexes.apply(svc.id, (index) =>
        index.add([{ id, subjectId: row.id, subject: row.name, vector }]),
      );
      // The name as the client sent it, as CompreFace answers (the stored subject may differ in case).
      return { image_id: id, subject };
    },

    async listExamples(svc, q) {
      checkPaging(q.page, q.size);
      let subjectId: string | undefined;
      if (q.subject) {
        subjectId = (await findSubject(db, svc.id, q.subject))?.id;
        if (!subjectId) return { items: [], page: q.page, size: q.size, total: 0, totalPages: 0 };
      }
      const { items, total } = await examples.listExamples(db, svc.id, {
        subjectId,
        limit: q.size,
        offset: q.page * q.size,
      });
      return {
        items: items.map(toExample),
        page: q.page,
        size: q.size,
        total,
        totalPages: Math.ceil(total / q.size),
      };
    },

    // With a subject, the subject goes too (CompreFace's SubjectService.removeAllSubjectEmbeddings deletes
    // the subject row with its embeddings); without one, every example goes and the subjects stay.
    async deleteExamplesBySubject(svc, subject) {
      if (!subject) {
        const rows = await remove(svc, (tx) => examples.deleteExamplesOf(tx, svc.id, undefined));
        return { deleted: rows.length };
      }
      const subjectId = (await findSubject(db, svc.id, subject))?.id;
      if (!subjectId) return { deleted: 0 };
      const rows = await remove(svc, async (tx) => {
        const r = await examples.deleteExamplesOf(tx, svc.id, subjectId);
        await deleteSubject(tx, subjectId);
        return r;
      });
      await indexes.apply(svc.id, (index) => index.names.delete(subjectId));
      return { deleted: rows.length };
    },

    async deleteExample(svc, imageId) {
      if (!isUuid(imageId)) throw new ImageNotFound(imageId);
      const rows = await remove(svc, (tx) => examples.deleteExamples(tx, svc.id, [imageId]));
      if (!rows.length) throw new ImageNotFound(imageId);
      return toExample(rows[0]);
    },

    async deleteExamples(svc, imageIds) {
      const ids = [
        ...new Set(
          imageIds.filter((id) => typeof id === 'string' && isUuid(id)).map((id) => id.toLowerCase()),
        ),
      ];
      const rows = await remove(svc, (tx) => examples.deleteExamples(tx, svc.id, ids));
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.filter((id) => byId.has(id)).map((id) => toExample(byId.get(id)!));
    },

    async getExampleImage(svc, imageId) {
      if (!isUuid(imageId)) return undefined;
      return images.read(db, svc.id, imageId);
    },
  };
}
