// Similarity search over a service's collection: nearest distinct subjects, and the vector of one stored example.
import { ImageNotFound } from '../../../shared/errors.js';
import { findExample } from '../repositories/examples.js';
import { StaleEmbedder } from '../search/service-indexes.js';
import { analyzeImage, embeddingOf, singleFace } from './analyze.js';
import type { Ctx } from './context.js';
import { embedderOf, type EngineView, type ServiceEmbedder } from './service-embedder.js';
import { round5 } from './shape.js';
import type { ServiceRef, SubjectMatch } from './types.js';
import { isUuid } from './validate.js';

/** The service's embedder (issue 17.1): its key, model, size and calibration. */
export const serviceEmbedder = (ctx: { engine: EngineView }, svc: ServiceRef): ServiceEmbedder =>
  embedderOf(ctx.engine, svc.embedder ?? ctx.engine.embedderId);

/**
 * Runs `fn` (embeds, then searches) for the service; when its embedder switched while the request was in flight
 * (StaleEmbedder: the request resolved the service before the switch), again with the service's embedder now, so
 * the request is answered as one that began after the switch (up to 3 times: a switch takes a whole re-embed job).
 */
export async function withCurrentEmbedder<T>(
  svc: ServiceRef,
  fn: (svc: ServiceRef) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(svc);
    } catch (e) {
      if (!(e instanceof StaleEmbedder) || e.serviceId !== svc.id || attempt === 3) throw e;
      svc = { ...svc, embedder: e.current };
    }
  }
}

/**
 * The `count` most similar subjects to `query` (a unit vector), each once with its best example, best first.
 * Matches under `minSimilarity` are dropped (0 keeps CompreFace's always-nearest behaviour). StaleEmbedder when
 * the service's embedder is no longer `svc`'s (callers: withCurrentEmbedder).
 */
export async function matchSubjects(
  ctx: Ctx,
  svc: ServiceRef,
  query: Float32Array,
  count: number,
  minSimilarity: number,
): Promise<SubjectMatch[]> {
  const out: SubjectMatch[] = [];
  const embedder = serviceEmbedder(ctx, svc);
  for (const hit of await ctx.indexes.searchSubjects(svc.id, query, count, embedder.key)) {
    const similarity = round5(embedder.similarity(query, hit.vector));
    if (similarity >= minSimilarity) out.push({ subject: hit.subject, similarity });
  }
  return out.sort((a, b) => b.similarity - a.similarity);
}

/**
 * The unit embedding of a stored example. An example embedded by another model is re-embedded from its
 * stored image (and the new embedding saved). Throws ImageNotFound when it is not in the service, StaleEmbedder
 * as matchSubjects.
 */
export async function exampleVector(
  ctx: Ctx,
  svc: ServiceRef,
  imageId: string,
): Promise<{ subject: string; vector: Float32Array }> {
  if (!isUuid(imageId)) throw new ImageNotFound(imageId);
  const id = imageId.toLowerCase();
  const embedder = serviceEmbedder(ctx, svc);
  const indexed = await ctx.indexes.example(svc.id, id, embedder.key);
  if (indexed) return { subject: indexed.subject, vector: indexed.vector };
  const row = await findExample(ctx.db, svc.id, id);
  if (!row) throw new ImageNotFound(imageId);
  return { subject: row.subject, vector: await reembed(ctx, svc.id, id, embedder) };
}

/**
 * Computes and stores (through the collection store) the embedding by `embedder` (the service's) of a stored
 * example. Throws ImageNotFound when the example or its image is gone, NoFaceFound / TooManyFaces.
 */
export async function reembed(
  ctx: Ctx,
  serviceId: string,
  exampleId: string,
  embedder: { key: string; model: string },
): Promise<Float32Array> {
  const stored = await ctx.images.read(ctx.db, serviceId, exampleId);
  if (!stored) throw new ImageNotFound(exampleId);
  const opts = { embed: true, embedder: embedder.model };
  const vector = embeddingOf(singleFace(await analyzeImage(ctx, { bytes: stored.bytes }, opts)));
  const done = await ctx.collections.replaceEmbeddings(serviceId, embedder.key, [{ exampleId, vector }]);
  if (!done.length) throw new ImageNotFound(exampleId);
  return vector;
}
