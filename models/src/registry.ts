// Every model Visor ships: the TFJS graph models converted op by op, the face-api nets built from their architecture,
// and the ONNX files a package ships ready.
import { faceApiSpecs } from './faceapi/registry.js';
import { packagedSpecs } from './packaged/registry.js';
import type { ModelSpec } from './spec.js';
import { tfjsSpecs } from './tfjs/registry.js';

export function allSpecs(): ModelSpec[] {
  return [...tfjsSpecs(), ...faceApiSpecs(), ...packagedSpecs()];
}
