// The quality plugin's sharpness window is located by the face's landmarks, not by the embedder's chip: the same
// face scores the same sharpness whichever embedder the engine runs (ArcFace's 112 px chip, face-api's 150 px one).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyAffine } from '../../shared/engine/affine.js';
import { dlibFivePointTemplate } from '../../shared/engine/landmarks.js';
import { SHARPNESS_WINDOW, sharpnessWindow } from '../../shared/engine/plugins/quality.js';
import { profilesOf } from '../../shared/engine/profiles.js';
import type { FaceEngine } from '../../shared/engine/types.js';
import { decodeImage } from '../../server/src/image/decode.js';
import { createServerEngine, DEFAULT_MODELS_DIR } from '../../server/src/inference/engine.js';
import { readManifest } from '../../server/src/inference/ort.js';

describe('sharpness window', () => {
  it("is the inner 112 px of dlib's 150 px chip, placed by the five points", () => {
    // a face whose five points sit where dlib's 150 px chip puts them, scaled 2x and moved by (40, 10)
    const five = dlibFivePointTemplate(150, 0.25).map(
      ([x, y]) => [2 * x + 40, 2 * y + 10] as [number, number],
    );
    const w = sharpnessWindow(five);
    const [x0, y0] = applyAffine(w, [0, 0]);
    const [x1, y1] = applyAffine(w, [SHARPNESS_WINDOW, SHARPNESS_WINDOW]);
    expect(x0).toBeCloseTo(2 * 19 + 40, 6);
    expect(y0).toBeCloseTo(2 * 19 + 10, 6);
    expect(x1).toBeCloseTo(2 * 131 + 40, 6);
    expect(y1).toBeCloseTo(2 * 131 + 10, 6);
  });
});

describe('sharpness across embedders on real photos', () => {
  const engines: FaceEngine[] = [];
  beforeAll(async () => {
    const catalog = await readManifest(DEFAULT_MODELS_DIR);
    const chips = ['faceplugin-recognition', 'faceapi-recognition'].map(
      (id) => profilesOf(catalog).embedder(id).chipSize,
    );
    expect(chips).toEqual([112, 150]);
    engines.push(await createServerEngine({ embedder: 'faceplugin-recognition' }));
    engines.push(await createServerEngine({ embedder: 'faceapi-recognition' }));
  });
  afterAll(async () => {
    for (const e of engines) await e.dispose();
  });

  it.each(['009_C.jpg', '001_A.jpg', '007_B.jpg'])('%s: within 10 per cent for both chips', async (name) => {
    const file = join(import.meta.dirname, '../fixtures/compreface-samples', name);
    const image = await decodeImage(new Uint8Array(await readFile(file)));
    const [arcface, faceapi] = await Promise.all(
      engines.map(
        async (e) => (await e.analyze(image, { plugins: ['quality'], limit: 1 })).faces[0].quality!,
      ),
    );
    expect(arcface.sharpness).toBeGreaterThan(0);
    expect(Math.abs(arcface.sharpness - faceapi.sharpness) / faceapi.sharpness).toBeLessThan(0.1);
  });
});
