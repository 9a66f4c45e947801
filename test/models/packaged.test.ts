// Models a package ships as ONNX: the built file is the package's, byte for byte, and runs as the manifest says.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { packagedSpecs } from '../../models/src/packaged/registry.js';
import { ONE_THREAD } from './helpers/ort-options.js';

const require = createRequire(import.meta.url);
const modelsDir = join(import.meta.dirname, '../../models');
const manifest = JSON.parse(readFileSync(join(modelsDir, 'manifest.json'), 'utf8')) as {
  models: Record<
    string,
    { file: string; sha256: string; input: { shape: number[] }; outputs: { shape: number[] }[] }
  >;
};
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('packaged ONNX models', () => {
  for (const spec of packagedSpecs()) {
    it(`${spec.id} is ${spec.source.files[0]} of ${spec.source.package}, unchanged, with the manifest's shapes`, async () => {
      const root = dirname(require.resolve(`${spec.source.package}/package.json`));
      const original = new Uint8Array(readFileSync(join(root, spec.source.files[0])));
      const entry = manifest.models[spec.id];
      const built = new Uint8Array(readFileSync(join(modelsDir, entry.file)));
      expect(sha256(built)).toBe(sha256(original));
      expect(entry.sha256).toBe(sha256(original));
      const session = await ort.InferenceSession.create(built, ONE_THREAD);
      const input = entry.input.shape;
      const data = new Float32Array(input.reduce((a, b) => a * b, 1)).map((_, i) => Math.sin(i) * 0.5);
      const out = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', data, input) });
      const result = out[session.outputNames[0]];
      expect(result.dims).toEqual(entry.outputs[0].shape);
      expect(Array.from(result.data as Float32Array).every(Number.isFinite)).toBe(true);
      await session.release();
    });
  }
});
