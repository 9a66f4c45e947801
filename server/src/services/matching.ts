// Similarity search over a service's collection: nearest distinct subjects, and the vector of one stored example.
import { ImageNotFound } from '../../../shared/errors.js';
import { findExample } from '../repositories/examples.js';
import { analyzeImage, embeddingOf, singleFace } from './analyze.js';
import type { Ctx } from './context.js';
import { round5 } from './shape.js';
import type { ServiceRef, SubjectMatch } from './types.js';
import { isUuid } from './validate.js';

/**
 * The `count` most similar subjects to `query` (a unit vector), each once with its best example, best first.
 * Matches under `minSimilarity` are dropped (0 keeps CompreFace's always-nearest behaviour).
 */
export async function matchSubjects(
  ctx: Ctx,
  svc: ServiceRef,
  query: Float32Array,
  count: number,
  minSimilarity: number,
): Promise<SubjectMatch[]> {
  const out: SubjectMatch[] = [];
  for (const hit of await ctx.indexes.searchSubjects(svc.id, query, count)) {
    const similarity = round5(ctx.engine.similarity(query, hit.vector));
    if (similarity >= minSimilarity) out.push({ subject: hit.subject, similarity });
  }
  return out.sort((a, b) => b.similarity - a.similarity);
}

/**
 * The unit embedding of a stored example. An example embedded by another model is re-embedded from its
 * stored image (and the new embedding saved). Throws ImageNotFound when it is not in the service.
 */
export async function exampleVector(
  ctx: Ctx,
  svc: ServiceRef,
  imageId: string,
): Promise<{ subject: string; vector: Float32Array }> {
  if (!isUuid(imageId)) throw new ImageNotFound(imageId);
  const id = imageId.toLowerCase();
  const indexed = await ctx.indexes.example(svc.id, id);
  if (indexed) return { subject: indexed.subject, vector: indexed.vector };
  const row = await findExample(ctx.db, svc.id, id);
  if (!row) throw new ImageNotFound(imageId);
  return { subject: row.subject, vector: await reembed(ctx, svc.id, id) };
}

/** Computes and stores (through the collection store) the current model's embedding of a stored example. */
export async function reembed(ctx: Ctx, serviceId: string, exampleId: string): Promise<Float32Array> {
  const stored = await ctx.images.read(ctx.db, serviceId, exampleId);
  if (!stored) throw new ImageNotFound(exampleId);
  const vector = embeddingOf(singleFace(await analyzeImage(ctx, { bytes: stored.bytes }, { embed: true })));
  const done = await ctx.collections.replaceEmbeddings(serviceId, ctx.engine.embedderId, [
    { exampleId, vector },
  ]);
  if (!done.length) throw new ImageNotFound(exampleId);
  return vector;
}
