// Embedding endpoints: recognize and verify client-supplied embeddings (CompreFace 1.2's /embeddings/*).
import { normalize } from '../search/vector-index.js';
import type { Ctx } from './context.js';
import { exampleVector, matchSubjects } from './matching.js';
import { checkMinSimilarity } from './recognition.js';
import { round5 } from './shape.js';
import type { FaceServices } from './types.js';
import { checkEmbeddings, checkPredictionCount } from './validate.js';

type EmbeddingServices = Pick<
  FaceServices,
  'recognizeEmbeddings' | 'verifyEmbeddingsAgainstExample' | 'verifyEmbeddings'
>;

export function embeddingServices(ctx: Ctx): EmbeddingServices {
  const dim = ctx.engine.embeddingSize;
  const scored = (embeddings: number[][], against: Float32Array) =>
    embeddings
      .map((embedding) => ({
        embedding,
        similarity: round5(ctx.engine.similarity(normalize(embedding), against)),
      }))
      .sort((a, b) => b.similarity - a.similarity);

  return {
    async recognizeEmbeddings(svc, embeddings, q) {
      checkEmbeddings(embeddings, dim);
      checkPredictionCount(q.predictionCount);
      checkMinSimilarity(q.minSimilarity);
      const min = q.minSimilarity ?? svc.minSimilarity;
      return {
        result: await Promise.all(
          embeddings.map(async (embedding) => ({
            embedding,
            similarities: await matchSubjects(ctx, svc, normalize(embedding), q.predictionCount, min),
          })),
        ),
      };
    },

    async verifyEmbeddingsAgainstExample(svc, imageId, embeddings) {
      checkEmbeddings(embeddings, dim);
      const { vector } = await exampleVector(ctx, svc, imageId);
      return { result: scored(embeddings, vector) };
    },

    // Any dimension, as CompreFace (EmbeddingsVerificationProcessServiceImpl scores the vectors given): the
    // targets must match the source's. Vectors of another embedder get Visor's calibration, so their
    // similarity is only a ranking (README, compatibility).
    async verifyEmbeddings(_svc, source, targets) {
      checkEmbeddings([source], source.length);
      checkEmbeddings(targets, source.length);
      return { result: scored(targets, normalize(source)) };
    },
  };
}
