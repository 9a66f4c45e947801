// Specs of the face-api nets rebuilt from their architecture (filled in by the builder work).
import type { ModelSpec } from '../spec.js';

export function faceApiSpecs(): ModelSpec[] {
  return [];
}
