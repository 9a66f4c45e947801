// Turns engine results into CompreFace's JSON: box fields, requested plugins flattened in, timings, versions.
import {
  PLUGINS,
  type AnalyzeResult,
  type FaceAnalysis,
  type FaceEngine,
  type PluginName,
} from '../../../shared/engine/types.js';
import { ageBucket, splitTimes } from './compat-fields.js';
import type { FaceResult, ImageQuery } from './types.js';

/** CompreFace rounds similarities to 5 decimals. */
export const round5 = (x: number): number => Math.round(x * 1e5) / 1e5;

/** Plugins whose result is the face's field of the same name, flattened in; `landmarks` and `calculator` differ. */
type FieldPlugin = Exclude<PluginName, 'landmarks' | 'calculator'>;
const PLUGIN_FIELDS = PLUGINS.filter((p): p is FieldPlugin => p !== 'landmarks' && p !== 'calculator');

/** One face as CompreFace shapes it; `execution_time` unless `status=false`. */
export function shapeFace(face: FaceAnalysis, analysis: AnalyzeResult, q: ImageQuery): FaceResult {
  const plugins = new Set<string>(q.plugins ?? []);
  const { probability, x_min, y_min, x_max, y_max } = face.box;
  const out: FaceResult = { box: { probability, x_min, y_min, x_max, y_max } };
  for (const field of PLUGIN_FIELDS) {
    if (plugins.has(field) && face[field] !== undefined) Object.assign(out, { [field]: face[field] });
  }
  // CompreFace's fixed age buckets; Visor's own range alongside.
  if (out.age && face.age) Object.assign(out, { age: ageBucket(face.age), visor_age: face.age });
  if (plugins.has('landmarks')) out.landmarks = face.landmarks;
  if (plugins.has('calculator') && face.embedding) out.embedding = Array.from(face.embedding);
  if (q.status !== false) {
    Object.assign(out, splitTimes({ ...analysis.execution_time, ...face.execution_time }));
  }
  return out;
}

/** CompreFace's `plugins_versions`: detector, calculator when embeddings were computed, each plugin that ran. */
export function pluginsVersions(
  engine: FaceEngine,
  q: ImageQuery,
  embedded: boolean,
): Record<string, string> | undefined {
  if (q.status === false) return undefined;
  const names = ['detector', ...(embedded ? ['calculator'] : []), ...(q.plugins ?? [])];
  const out: Record<string, string> = {};
  for (const n of names) if (engine.versions[n] !== undefined) out[n] = engine.versions[n];
  return out;
}
