// The FaceRes embedders: ONNX (onnxruntime-node) vs the original tfjs graph on real photos.
import { describe } from 'vitest';
import { faceresCases } from './helpers/parity-cases.js';
import { parityCases } from './helpers/parity-suite.js';

describe('TFJS → ONNX parity: faceres', () => {
  parityCases(faceresCases);
});
