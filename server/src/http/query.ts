// Query parameters with CompreFace's names, defaults and validation (bad values are 26, never ignored).
import type { Context } from 'hono';
import { ValidationError } from '../../../shared/errors.js';
import { PLUGINS, type PluginName } from '../../../shared/engine/types.js';
import type { ImageQuery } from '../services/types.js';

type Query = Pick<Context, 'req'>;

function raw(c: Query, name: string): string | undefined {
  const v = c.req.query(name)?.trim();
  return v === undefined || v === '' ? undefined : v;
}

/** An integer ≥ `min`, or `def` when absent. */
export function intParam(c: Query, name: string, def: number, min: number): number {
  const v = raw(c, name);
  if (v === undefined) return def;
  const n = Number(v);
  if (!/^[+-]?\d+$/.test(v) || !Number.isSafeInteger(n) || n < min) {
    throw new ValidationError(`${name} must be an integer greater than or equal to ${min}, got '${v}'`);
  }
  return n;
}

/** A number in [0, 1], or undefined when absent. */
export function unitParam(c: Query, name: string): number | undefined {
  const v = raw(c, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || n > 1) {
    throw new ValidationError(`${name} must be a number between 0.0 and 1.0, got '${v}'`);
  }
  return n;
}

const TRUE = ['true', '1', 'yes', 'on'];
const FALSE = ['false', '0', 'no', 'off'];

/** A boolean (true/false, 1/0, yes/no, on/off, as Spring accepts), or `def` when absent. */
export function boolParam(c: Query, name: string, def: boolean): boolean {
  const v = raw(c, name)?.toLowerCase();
  if (v === undefined) return def;
  if (TRUE.includes(v)) return true;
  if (FALSE.includes(v)) return false;
  throw new ValidationError(`${name} must be true or false, got '${v}'`);
}

/** `face_plugins`: a comma list; unknown names are ignored (as CompreFace's PluginManager.filter_face_plugins). */
export function pluginsParam(c: Query): PluginName[] {
  const names = (raw(c, 'face_plugins') ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  return [...new Set(names)].filter((n): n is PluginName => (PLUGINS as readonly string[]).includes(n));
}

/** The options every image endpoint takes: limit, det_prob_threshold, face_plugins, status, detect_faces. */
export function imageQuery(c: Query): ImageQuery {
  return {
    limit: intParam(c, 'limit', 0, 0),
    detProbThreshold: unitParam(c, 'det_prob_threshold'),
    plugins: pluginsParam(c),
    status: boolParam(c, 'status', false),
    detectFaces: boolParam(c, 'detect_faces', true),
  };
}

/** `prediction_count` (≥ 1, default 1) and our `min_similarity` (0..1; unset = the service's). */
export function matchQuery(c: Query): { predictionCount: number; minSimilarity?: number } {
  const minSimilarity = unitParam(c, 'min_similarity');
  return {
    predictionCount: intParam(c, 'prediction_count', 1, 1),
    ...(minSimilarity === undefined ? {} : { minSimilarity }),
  };
}

/** `page` (≥ 0, default 0) and `size` (≥ 1, default 20). */
export function pageQuery(c: Query): { page: number; size: number } {
  return { page: intParam(c, 'page', 0, 0), size: intParam(c, 'size', 20, 1) };
}
