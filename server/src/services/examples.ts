// Face examples: add (one face, embedded, stored with its image through the collection store), list, delete,
// download (the stored image, or a thumbnail of it).
import { randomUUID } from 'node:crypto';
import { ImageNotFound } from '../../../shared/errors.js';
import { thumbnailJpeg } from '../image/thumbnail.js';
import * as examples from '../repositories/examples.js';
import { findSubject } from '../repositories/subjects.js';
import { analyzeImage, embeddingOf, singleFace } from './analyze.js';
import type { Ctx } from './context.js';
import { serviceEmbedder, withCurrentEmbedder } from './matching.js';
import type { FaceExample, FaceServices } from './types.js';
import { checkPaging, checkSubjectName, isUuid } from './validate.js';

type ExampleServices = Pick<
  FaceServices,
  | 'addExample'
  | 'listExamples'
  | 'deleteExamplesBySubject'
  | 'deleteExample'
  | 'deleteExamples'
  | 'getExampleImage'
  | 'getExampleThumbnail'
>;

const toExample = (r: { id: string; subject: string }): FaceExample => ({
  image_id: r.id,
  subject: r.subject,
});

export function exampleServices(ctx: Ctx): ExampleServices {
  const { db, images, collections } = ctx;

  return {
    // Embedded with the service's embedder; when it switched while the request was in flight, the store refuses the
    // old model's vector (StaleEmbedder) and the photo is embedded again with the new one.
    async addExample(svc, subject, image, q) {
      checkSubjectName(subject);
      const id = randomUUID();
      await withCurrentEmbedder(svc, async (now) => {
        const embedder = serviceEmbedder(ctx, now);
        const opts = { embed: true, embedder: embedder.model, detProbThreshold: q.detProbThreshold };
        const face = singleFace(await analyzeImage(ctx, image, opts));
        await collections.addExamples(svc.id, [
          { id, subject, image: image.bytes, embedder: embedder.key, vector: embeddingOf(face) },
        ]);
      });
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
      return { deleted: (await collections.deleteExamplesOf(svc.id, subject || undefined)).length };
    },

    async deleteExample(svc, imageId) {
      if (!isUuid(imageId)) throw new ImageNotFound(imageId);
      const rows = await collections.deleteExamples(svc.id, [imageId.toLowerCase()]);
      if (!rows.length) throw new ImageNotFound(imageId);
      return toExample(rows[0]);
    },

    async deleteExamples(svc, imageIds) {
      const ids = [
        ...new Set(
          imageIds.filter((id) => typeof id === 'string' && isUuid(id)).map((id) => id.toLowerCase()),
        ),
      ];
      const rows = await collections.deleteExamples(svc.id, ids);
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.filter((id) => byId.has(id)).map((id) => toExample(byId.get(id)!));
    },

    async getExampleImage(svc, imageId) {
      if (!isUuid(imageId)) return undefined;
      return images.read(db, svc.id, imageId);
    },

    async getExampleThumbnail(svc, imageId, maxSide) {
      if (!isUuid(imageId)) return undefined;
      const stored = await images.read(db, svc.id, imageId);
      if (!stored) return undefined;
      const { maxImagePixels: maxPixels, maxImageSide } = ctx.config;
      const bytes = await thumbnailJpeg(stored.bytes, maxSide, { maxPixels, maxImageSide });
      return { bytes, contentType: 'image/jpeg' };
    },
  };
}
