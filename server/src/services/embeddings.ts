// Embedding endpoints: recognize and verify client-supplied embeddings (CompreFace 1.2's /embeddings/*).
import { normalize } from '../search/vector-index.js';
import type { Ctx } from './context.js';
import { exampleVector, matchSubjects, withCurrentEmbedder } from './matching.js';
import { checkMinSimilarity } from './recognition.js';
import { round5 } from './shape.js';
import { embedderOf } from './service-embedder.js';
import type { FaceServices, ServiceRef } from './types.js';
import { checkEmbeddings, checkPredictionCount } from './validate.js';

type EmbeddingServices = Pick<
  FaceServices,
  'recognizeEmbeddings' | 'verifyEmbeddingsAgainstExample' | 'verifyEmbeddings'
>;

export function embeddingServices(ctx: Ctx): EmbeddingServices {
  // The service's embedder: its size, its model's name in errors, its calibration (issue 17.1).
  const embedderFor = (svc: ServiceRef) => embedderOf(ctx.engine, svc.embedder ?? ctx.engine.embedderId);
  const check = (svc: ServiceRef, embeddings: number[][]) => {
    const e = embedderFor(svc);
    checkEmbeddings(embeddings, e.dim, e.key);
    return e;
  };
  const scored = (svc: ServiceRef, embeddings: number[][], against: Float32Array) =>
    embeddings
      .map((embedding) => ({
        embedding,
        similarity: round5(embedderFor(svc).similarity(normalize(embedding), against)),
      }))
      .sort((a, b) => b.similarity - a.similarity);

  return {
    // A service that switched embedders meanwhile checks the embeddings against its new one (withCurrentEmbedder),
    // as for a request made after the switch.
    async recognizeEmbeddings(svc, embeddings, q) {
      check(svc, embeddings);
      checkPredictionCount(q.predictionCount);
      checkMinSimilarity(q.minSimilarity);
      const min = q.minSimilarity ?? svc.minSimilarity;
      return withCurrentEmbedder(svc, async (now) => {
        if (now !== svc) check(now, embeddings);
        return {
          result: await Promise.all(
            embeddings.map(async (embedding) => ({
              embedding,
              similarities: await matchSubjects(ctx, now, normalize(embedding), q.predictionCount, min),
            })),
          ),
        };
      });
    },

    async verifyEmbeddingsAgainstExample(svc, imageId, embeddings) {
      check(svc, embeddings);
      return withCurrentEmbedder(svc, async (now) => {
        if (now !== svc) check(now, embeddings);
        const { vector } = await exampleVector(ctx, now, imageId);
        return { result: scored(now, embeddings, vector) };
      });
    },

    // Any dimension, as CompreFace (EmbeddingsVerificationProcessServiceImpl scores the vectors given): the
    // targets must match the source's. Vectors of another embedder get the service embedder's calibration, so
    // their similarity is only a ranking (README, compatibility).
    async verifyEmbeddings(svc, source, targets) {
      checkEmbeddings([source], source.length);
      checkEmbeddings(targets, source.length);
      return { result: scored(svc, targets, normalize(source)) };
    },
  };
}
