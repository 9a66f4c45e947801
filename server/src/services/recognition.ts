// Image endpoints: recognize against the collection, verify against one example, detect, verify two images.
import type { FaceAnalysis } from '../../../shared/engine/types.js';
import { ValidationError } from '../../../shared/errors.js';
import { analyzeImage, embeddingOf, singleFace, someFaces } from './analyze.js';
import type { Ctx } from './context.js';
import { exampleVector, matchSubjects, withCurrentEmbedder } from './matching.js';
import { pluginsVersions, round5, shapeFace } from './shape.js';
import { embedderOf } from './service-embedder.js';
import type { FaceServices, ImageQuery, ServiceRef } from './types.js';
import { checkPredictionCount } from './validate.js';

type RecognitionServices = Pick<FaceServices, 'recognize' | 'verifyExample' | 'detect' | 'verifyImages'>;

/** The engine's options for a query of a service whose embedder is `embedder` (a model id). */
const analyzeOptions = (q: ImageQuery, embed: boolean, embedder: string) => ({
  embed,
  embedder,
  detProbThreshold: q.detProbThreshold,
  limit: q.limit,
  plugins: q.plugins,
  detectFaces: q.detectFaces,
  detectMode: q.detectMode,
});

export function checkMinSimilarity(x: number | undefined): void {
  if (x !== undefined && !(x >= 0 && x <= 1))
    throw new ValidationError('min_similarity must be between 0 and 1');
}

const bySimilarity = (a: { similarity: number }, b: { similarity: number }) => b.similarity - a.similarity;

export function recognitionServices(ctx: Ctx): RecognitionServices {
  const { engine } = ctx;
  const embedderFor = (svc: ServiceRef) => embedderOf(engine, svc.embedder ?? engine.embedderId);

  return {
    async recognize(svc, image, q) {
      checkPredictionCount(q.predictionCount);
      checkMinSimilarity(q.minSimilarity);
      const min = q.minSimilarity ?? svc.minSimilarity;
      const result = await withCurrentEmbedder(svc, async (now) => {
        const analysis = await analyzeImage(ctx, image, analyzeOptions(q, true, embedderFor(now).model));
        return Promise.all(
          someFaces(analysis).map(async (face) => ({
            ...shapeFace(face, analysis, q),
            subjects: await matchSubjects(ctx, now, embeddingOf(face), q.predictionCount, min),
          })),
        );
      });
      const versions = pluginsVersions(engine, q, true);
      return versions ? { result, plugins_versions: versions } : { result };
    },

    async verifyExample(svc, imageId, image, q) {
      const result = await withCurrentEmbedder(svc, async (now) => {
        const { subject, vector } = await exampleVector(ctx, now, imageId);
        const emb = embedderFor(now);
        const analysis = await analyzeImage(ctx, image, analyzeOptions(q, true, emb.model));
        return someFaces(analysis)
          .map((face) => ({
            ...shapeFace(face, analysis, q),
            subject,
            similarity: round5(emb.similarity(embeddingOf(face), vector)),
          }))
          .sort(bySimilarity);
      });
      const versions = pluginsVersions(engine, q, true);
      return versions ? { result, plugins_versions: versions } : { result };
    },

    async detect(svc, image, q) {
      const embed = q.plugins?.includes('calculator') ?? false;
      const analysis = await analyzeImage(ctx, image, analyzeOptions(q, embed, embedderFor(svc).model));
      // No face is 400/28, as CompreFace's detector raises NoFaceFoundError.
      const result = someFaces(analysis).map((face: FaceAnalysis) => shapeFace(face, analysis, q));
      const versions = pluginsVersions(engine, q, embed);
      return versions ? { result, plugins_versions: versions } : { result };
    },

    async verifyImages(svc, source, target, q) {
      const emb = embedderFor(svc);
      const similarity = (a: Float32Array, b: Float32Array) => round5(emb.similarity(a, b));
      const src = await analyzeImage(ctx, source, {
        ...analyzeOptions(q, true, emb.model),
        limit: undefined,
      });
      const srcFace = singleFace(src);
      const srcVector = embeddingOf(srcFace);
      const tgt = await analyzeImage(ctx, target, analyzeOptions(q, true, emb.model));
      const face_matches = someFaces(tgt)
        .map((face) => ({ ...shapeFace(face, tgt, q), similarity: similarity(embeddingOf(face), srcVector) }))
        .sort(bySimilarity);
      const versions = pluginsVersions(engine, q, true);
      const item = { source_image_face: shapeFace(srcFace, src, q), face_matches };
      return { result: [versions ? { ...item, plugins_versions: versions } : item] };
    },
  };
}
