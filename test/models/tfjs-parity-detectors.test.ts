// Detectors and landmark models: ONNX (onnxruntime-node) vs the original tfjs graph on real photos.
import { describe } from 'vitest';
import { detectorCases } from './helpers/parity-cases.js';
import { parityCases } from './helpers/parity-suite.js';

describe('TFJS → ONNX parity: detectors and landmarks', () => {
  parityCases(detectorCases);
});
