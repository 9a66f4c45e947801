// Every model Visor ships: the TFJS graph models converted op by op, and the face-api nets built from their architecture.
import { faceApiSpecs } from './faceapi/registry.js';
import type { ModelSpec } from './spec.js';
import { tfjsSpecs } from './tfjs/registry.js';

export function allSpecs(): ModelSpec[] {
  return [...tfjsSpecs(), ...faceApiSpecs()];
}
