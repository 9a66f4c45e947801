// Face attribute models (age, gender, emotion, liveness, anti-spoofing): ONNX vs the original tfjs graph on real photos.
import { describe } from 'vitest';
import { attributeCases } from './helpers/parity-cases.js';
import { parityCases } from './helpers/parity-suite.js';

describe('TFJS → ONNX parity: attributes', () => {
  parityCases(attributeCases);
});
