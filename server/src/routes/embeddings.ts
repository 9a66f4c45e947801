// The embedding endpoints (mounted at /api/v1): recognize embeddings, verify them against an example or each other.
import { Hono } from 'hono';
import { EmptyField, ValidationError } from '../../../shared/errors.js';
import { apiKey } from '../http/api-key.js';
import type { AppEnv, RouteDeps } from '../http/env.js';
import { readJsonObject } from '../http/json.js';
import { matchQuery } from '../http/query.js';

function isVector(v: unknown): v is number[] {
  return Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'number' && Number.isFinite(x));
}

/** Missing, null or empty: CompreFace's "Field <f> cannot be empty" (5). */
function present(body: Record<string, unknown>, field: string): unknown {
  const v = body[field];
  if (v === undefined || v === null || (Array.isArray(v) && v.length === 0)) throw new EmptyField(field);
  return v;
}

/** A non-empty array of non-empty number arrays (dimension is checked by the service: 37). */
function vectors(body: Record<string, unknown>, field: string): number[][] {
  const v = present(body, field);
  if (!Array.isArray(v) || v.length === 0 || !v.every(isVector)) {
    throw new ValidationError(`${field} must be a non-empty array of arrays of numbers`);
  }
  return v;
}

function vector(body: Record<string, unknown>, field: string): number[] {
  const v = present(body, field);
  if (!isVector(v)) throw new ValidationError(`${field} must be a non-empty array of numbers`);
  return v;
}

export function embeddingRoutes({ services }: RouteDeps) {
  return new Hono<AppEnv>()
    .post('/recognition/embeddings/recognize', apiKey(services, 'recognition'), async (c) => {
      const q = matchQuery(c);
      const body = await readJsonObject(c);
      return c.json(await services.recognizeEmbeddings(c.var.service, vectors(body, 'embeddings'), q));
    })
    .post('/recognition/embeddings/faces/:image_id/verify', apiKey(services, 'recognition'), async (c) => {
      const embeddings = vectors(await readJsonObject(c), 'embeddings');
      return c.json(
        await services.verifyEmbeddingsAgainstExample(c.var.service, c.req.param('image_id'), embeddings),
      );
    })
    .post('/verification/embeddings/verify', apiKey(services, 'verification'), async (c) => {
      const body = await readJsonObject(c);
      return c.json(
        await services.verifyEmbeddings(c.var.service, vector(body, 'source'), vectors(body, 'targets')),
      );
    });
}
