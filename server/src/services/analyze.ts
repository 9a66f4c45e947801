// Decoding and face analysis of an uploaded image, with the one-face rule examples and sources need.
import { NoFaceFound, TooManyFaces } from '../../../shared/errors.js';
import type { AnalyzeOptions, AnalyzeResult, FaceAnalysis } from '../../../shared/engine/types.js';
import { checkHeader } from '../image/limits.js';
import type { Ctx } from './context.js';
import type { ImageInput } from './types.js';

/** Decodes and analyses an image (decode errors propagate as UnsupportedImage). */
export async function analyzeImage(
  ctx: Ctx,
  image: ImageInput,
  opts: AnalyzeOptions,
): Promise<AnalyzeResult> {
  const limits = {
    maxPixels: ctx.config.maxImagePixels,
    maxSide: ctx.config.analysisMaxSide,
    maxImageSide: ctx.config.maxImageSide,
  };
  // Refused from its header before it queues (a tall PNG costs the decoder seconds per million rows).
  checkHeader(image.bytes, limits.maxPixels, limits.maxImageSide);
  // The worker pool decodes in its workers, keeping libvips off the request thread.
  if (ctx.engine.analyzeBytes) return ctx.engine.analyzeBytes(image.bytes, opts, limits);
  const raw = await ctx.decode(image.bytes, limits);
  return ctx.engine.analyze(raw, opts);
}

/** The image's only face; NoFaceFound (28) or TooManyFaces (31) otherwise. */
export function singleFace(result: AnalyzeResult): FaceAnalysis {
  if (result.faces.length === 0) throw new NoFaceFound();
  if (result.faces.length > 1) throw new TooManyFaces();
  return result.faces[0];
}

/** At least one face; NoFaceFound (28) otherwise (recognition and verification, as CompreFace). */
export function someFaces(result: AnalyzeResult): FaceAnalysis[] {
  if (result.faces.length === 0) throw new NoFaceFound();
  return result.faces;
}

/** The face's embedding (the engine was asked for one). */
export function embeddingOf(face: FaceAnalysis): Float32Array {
  if (!face.embedding) throw new Error('engine returned a face without the embedding it was asked for');
  return face.embedding;
}
