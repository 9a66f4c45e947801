// Contracts of the embedding endpoints (mounted at /api/v1): recognize embeddings, verify them against an example
// or against a source embedding. Field rules as CompreFace: missing, null or empty is 5; not arrays of numbers 26
// (the dimension is checked by the service: 37).
import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { EmbeddingsRecognizeResponse, EmbeddingsResult } from '../../../shared/api/face-service.js';
import { EmptyField, ValidationError } from '../../../shared/errors.js';
import { checked } from '../http/contract.js';
import { errorResponses, imageIdParam, jsonBody, jsonOk, matchQuery } from './common.js';

const tags = ['Embeddings'];
const embedding = { $ref: '#/components/schemas/Embedding' };

function isVector(v: unknown): v is number[] {
  return Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'number' && Number.isFinite(x));
}

/** Missing, null or empty: CompreFace's "Field <f> cannot be empty" (5). */
function present(v: unknown, field: string): unknown {
  if (v === undefined || v === null || (Array.isArray(v) && v.length === 0)) throw new EmptyField(field);
  return v;
}

/** A non-empty array of non-empty number arrays. */
const vectors = (field: string) =>
  checked((raw): number[][] => {
    const v = present(raw, field);
    if (!Array.isArray(v) || !v.every(isVector)) {
      throw new ValidationError(`${field} must be a non-empty array of arrays of numbers`);
    }
    return v;
  }).meta({ type: 'array', items: embedding });

/** A non-empty array of numbers. */
const vector = (field: string) =>
  checked((raw): number[] => {
    const v = present(raw, field);
    if (!isVector(v)) throw new ValidationError(`${field} must be a non-empty array of numbers`);
    return v;
  }).meta(embedding);

export const recognizeEmbeddings = createRoute({
  method: 'post',
  path: '/recognition/embeddings/recognize',
  tags,
  summary: 'Recognize embeddings',
  request: { query: matchQuery, body: jsonBody(z.object({ embeddings: vectors('embeddings') })) },
  responses: { 200: jsonOk(EmbeddingsRecognizeResponse), ...errorResponses },
});

export const verifyEmbeddingsAgainstExample = createRoute({
  method: 'post',
  path: '/recognition/embeddings/faces/{image_id}/verify',
  tags,
  summary: 'Verify embeddings against a saved example',
  request: { params: imageIdParam, body: jsonBody(z.object({ embeddings: vectors('embeddings') })) },
  responses: { 200: jsonOk(EmbeddingsResult), ...errorResponses },
});

export const verifyEmbeddings = createRoute({
  method: 'post',
  path: '/verification/embeddings/verify',
  tags,
  summary: 'Verify embeddings against a source embedding',
  description:
    "Any dimension, as CompreFace: the targets must have the source's. Vectors from another embedder are scored with Visor's calibration, so their similarity only ranks them.",
  request: { body: jsonBody(z.object({ source: vector('source'), targets: vectors('targets') })) },
  responses: { 200: jsonOk(EmbeddingsResult), ...errorResponses },
});
