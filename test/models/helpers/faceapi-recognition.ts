// The face-api recognition graph tells people apart: crops of one person are closer than crops of different people.
// Run by faceapi-parity.test.ts on the ONNX it converted for the parity checks (a file of its own paid a process
// and a conversion for these checks alone).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { ONE_THREAD } from './ort-options.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/compreface-samples');

/** face-api's dlib-aligned face squares [x, y, size] in the EXIF-rotated photos (found once with face-api's own pipeline); the letter is the person. */
const FACES: Record<string, [number, number, number]> = {
  '001_A.jpg': [1865, 2010, 484],
  '002_A.jpg': [1329, 1636, 1555],
  '003_A.jpg': [2871, 1030, 655],
  '004_A.jpg': [971, 1607, 689],
  '005_A.jpg': [1041, 1694, 2091],
  '006_A.jpg': [758, 1804, 2213],
  '007_B.jpg': [145, 233, 126],
  '008_B.jpg': [196, 229, 53],
  '009_C.jpg': [81, 144, 174],
};

const person = (file: string): string => file.slice(4, 5);
const distance = (a: Float32Array, b: Float32Array): number => Math.hypot(...a.map((v, i) => v - b[i]));

/** The suite, on `onnx`: the converted faceapi-recognition graph. */
export function recognitionCases(onnx: () => Promise<Uint8Array>): void {
  describe('faceapi-recognition on real faces', () => {
    const embeddings = new Map<string, Float32Array>();

    beforeAll(async () => {
      const session = await ort.InferenceSession.create(await onnx(), ONE_THREAD);
      for (const [file, [left, top, size]] of Object.entries(FACES)) {
        const { data } = await sharp(join(FIXTURES, file))
          .rotate()
          .extract({ left, top, width: size, height: size })
          .resize(150, 150, { fit: 'fill' })
          .removeAlpha()
          .raw()
          .toBuffer({ resolveWithObject: true });
        const out = await session.run({
          image: new ort.Tensor('float32', Float32Array.from(data), [1, 150, 150, 3]),
        });
        embeddings.set(file, out.embedding.data as Float32Array);
      }
      await session.release();
    });

    it('puts every pair of the same person closer than any pair of different people', () => {
      const files = [...embeddings.keys()];
      const same: number[] = [];
      const different: number[] = [];
      for (const [i, a] of files.entries())
        for (const b of files.slice(i + 1))
          (person(a) === person(b) ? same : different).push(distance(embeddings.get(a)!, embeddings.get(b)!));
      expect(same).toHaveLength(15 + 1);
      expect(Math.max(...same)).toBeLessThan(Math.min(...different));
    });

    it("separates them at face-api's 0.6 Euclidean threshold", () => {
      for (const [a, ea] of embeddings)
        for (const [b, eb] of embeddings)
          if (a !== b) expect(distance(ea, eb) < 0.6, `${a} vs ${b}`).toBe(person(a) === person(b));
    });

    it('returns descriptors that are not L2-normalised, as face-api does', () => {
      for (const e of embeddings.values()) expect(Math.abs(Math.hypot(...e) - 1)).toBeGreaterThan(0.1);
    });
  });
}
