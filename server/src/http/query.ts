// Query parameters with CompreFace's names, defaults and validation (bad values are 26, never ignored).
import type { Context } from 'hono';
import { ValidationError } from '../../../shared/errors.js';
import { DETECT_MODES, PLUGINS, type DetectMode, type PluginName } from '../../../shared/engine/types.js';
import type { ImageQuery } from '../services/types.js';

type Query = Pick<Context, 'req'>;

/** A query value as the parsers take it: trimmed, blank is absent. */
export function rawValue(v: string | undefined): string | undefined {
  const t = v?.trim();
  return t === undefined || t === '' ? undefined : t;
}

function raw(c: Query, name: string): string | undefined {
  return rawValue(c.req.query(name));
}

/** Java's Integer.MAX_VALUE: CompreFace's integer parameters are Java ints, so nothing larger is accepted. */
export const MAX_INT = 2_147_483_647;

/** An integer in [`min`, `max`], or `def` when absent. */
export function intParam(c: Query, name: string, def: number, min: number, max = MAX_INT): number {
  return intValue(name, raw(c, name), def, min, max);
}

/** `intParam` on a value already read (trimmed, blank = absent). */
export function intValue(
  name: string,
  v: string | undefined,
  def: number,
  min: number,
  max = MAX_INT,
): number {
  if (v === undefined) return def;
  const n = Number(v);
  if (!/^[+-]?\d+$/.test(v) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new ValidationError(`${name} must be an integer from ${min} to ${max}, got '${v}'`);
  }
  return n;
}

/** A number in [0, 1], or undefined when absent. */
export function unitParam(c: Query, name: string): number | undefined {
  return unitValue(name, raw(c, name));
}

/** `unitParam` on a value already read. */
export function unitValue(name: string, v: string | undefined): number | undefined {
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
  return boolValue(name, raw(c, name), def);
}

/** `boolParam` on a value already read. */
export function boolValue(name: string, value: string | undefined, def: boolean): boolean {
  const v = value?.toLowerCase();
  if (v === undefined) return def;
  if (TRUE.includes(v)) return true;
  if (FALSE.includes(v)) return false;
  throw new ValidationError(`${name} must be true or false, got '${v}'`);
}

/** `face_plugins`: a comma list; unknown names are ignored (as CompreFace's PluginManager.filter_face_plugins). */
export function pluginsParam(c: Query): PluginName[] {
  return pluginsValue(raw(c, 'face_plugins'));
}

/** `pluginsParam` on a value already read. */
export function pluginsValue(v: string | undefined): PluginName[] {
  const names = (v ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  return [...new Set(names)].filter((n): n is PluginName => (PLUGINS as readonly string[]).includes(n));
}

/** `detect_mode` (a Visor extension): fast or accurate, or undefined (the engine's default, accurate) when absent. */
export function detectModeParam(c: Query): DetectMode | undefined {
  return detectModeValue(raw(c, 'detect_mode'));
}

/** `detectModeParam` on a value already read. */
export function detectModeValue(value: string | undefined): DetectMode | undefined {
  const v = value?.toLowerCase();
  if (v === undefined) return undefined;
  if ((DETECT_MODES as readonly string[]).includes(v)) return v as DetectMode;
  throw new ValidationError(`detect_mode must be ${DETECT_MODES.join(' or ')}, got '${v}'`);
}

/**
 * The options every image endpoint takes: limit, det_prob_threshold, face_plugins, status, detect_faces, and
 * Visor's detect_mode.
 */
export function imageQuery(c: Query): ImageQuery {
  return {
    detectMode: detectModeParam(c),
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

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 2000;

/** Spring's parse: a Java int clamped to [0, upper]; anything unparsable is 0. */
function springInt(v: string | undefined, upper: number): number {
  if (v === undefined || !/^[+-]?\d+$/.test(v)) return 0;
  const n = Number(v);
  if (n > MAX_INT || n < -MAX_INT - 1) return 0; // Integer.parseInt overflows: NumberFormatException
  return Math.min(Math.max(n, 0), upper);
}

/**
 * `page` and `size` as Spring Data clamps them (CompreFace's `Pageable`; spring-data-commons
 * PageableHandlerMethodArgumentResolverSupport): page < 0 or unparsable → 0; size unparsable or < 1 → 20;
 * size > 2000 → 2000. Never an error.
 */
export function pageQuery(c: Query): { page: number; size: number } {
  return { page: pageValue(raw(c, 'page')), size: sizeValue(raw(c, 'size')) };
}

/** `page` as Spring clamps it. */
export const pageValue = (v: string | undefined): number => springInt(v, MAX_INT);

/** `size` as Spring clamps it. */
export function sizeValue(v: string | undefined): number {
  const size = springInt(v, MAX_PAGE_SIZE);
  return size < 1 ? DEFAULT_PAGE_SIZE : size;
}
