// Every shipped TFJS model: ONNX (onnxruntime-node) vs the original tfjs graph on real photos, in one process (one
// tfjs and onnxruntime load for the three groups: each group's reference runs take seconds on tfjs's wasm backend),
// then the same ONNX in onnxruntime-web against onnxruntime-node (each model converted and opened once for both).
import { afterAll, describe } from 'vitest';
import { attributeCases, detectorCases, faceresCases } from './helpers/parity-cases.js';
import { releaseConverted } from './helpers/parity.js';
import { parityCases } from './helpers/parity-suite.js';
import { webCases } from './helpers/web-parity.js';

afterAll(releaseConverted);

describe('TFJS → ONNX parity: detectors and landmarks', () => {
  parityCases(detectorCases);
});

describe('TFJS → ONNX parity: faceres', () => {
  parityCases(faceresCases);
});

describe('TFJS → ONNX parity: attributes', () => {
  parityCases(attributeCases);
});

describe('TFJS models in onnxruntime-web (wasm)', () => {
  webCases();
});
