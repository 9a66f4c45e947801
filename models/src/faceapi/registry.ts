// Specs of the face-api nets rebuilt from their architecture: recognition, 68-point landmarks, SSD detector, age/gender.
import { createRequire } from 'node:module';
import type { ModelSpec } from '../spec.js';
import { ageGenderSpec } from './age-gender.js';
import { landmarks68Spec } from './landmarks.js';
import { recognitionSpec } from './recognition.js';
import { ssdSpec } from './ssd.js';

const require = createRequire(import.meta.url);

export function faceApiSpecs(): ModelSpec[] {
  const { version } = require('@vladmandic/face-api/package.json') as { version: string };
  return [ssdSpec(version), recognitionSpec(version), landmarks68Spec(version), ageGenderSpec(version)];
}
