// The face-api weight loader decodes every shipped manifest exactly as tfjs does (uint8-quantized, float32 and int32
// entries). Run by tfjs-ops.test.ts, whose process has @tensorflow/tfjs loaded already (a file of its own paid a
// process and a tfjs load for these checks alone).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { loadWeights } from '../../../models/src/faceapi/weights.js';

const require = createRequire(import.meta.url);
const MODEL_DIR = join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');

/** The loader's suite: each shipped manifest against tf.io.decodeWeights, and a missing weight's message. */
export function weightsCases(): void {
  describe('loadWeights', () => {
    it.each([
      'face_recognition_model',
      'face_landmark_68_model',
      'ssd_mobilenetv1_model',
      'age_gender_model',
    ])('%s matches tf.io.decodeWeights', async (name) => {
      const groups = JSON.parse(
        readFileSync(join(MODEL_DIR, `${name}-weights_manifest.json`), 'utf8'),
      ) as tf.io.WeightsManifestConfig;
      const ours = loadWeights(MODEL_DIR, name);
      let checked = 0;
      for (const group of groups) {
        const buffer = Buffer.concat(group.paths.map((p) => readFileSync(join(MODEL_DIR, p))));
        const theirs = tf.io.decodeWeights(
          buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength),
          group.weights,
        );
        for (const [key, tensor] of Object.entries(theirs)) {
          const w = ours.get(key);
          expect(w.shape).toEqual(tensor.shape);
          const expected = Float32Array.from(await tensor.data());
          expect(Buffer.from(w.data.buffer).equals(Buffer.from(expected.buffer)), key).toBe(true);
          tensor.dispose();
          checked++;
        }
      }
      expect(checked).toBe(ours.names().length);
    });

    it('names the model and the weight when one is missing', () => {
      expect(() => loadWeights(MODEL_DIR, 'age_gender_model').get('fc/nope')).toThrow(
        'age_gender_model: weight fc/nope not in the manifest',
      );
    });
  });
}
