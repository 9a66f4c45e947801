// A synthetic InsightFace-shaped pack dropped in the models folder runs end to end through the engine on a real
// photo: the SCRFD-shaped head's known box comes back in image pixels, and the embedder sees the chip cut as its
// profile says (ArcFace's five-point template, the JSON's colour order and normalisation).
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyAffine, invertAffine, similarityTransform } from '../../../shared/engine/affine.js';
import { arcfaceFivePointTemplate } from '../../../shared/engine/landmarks.js';
import { warpToTensor, type TensorSpec } from '../../../shared/engine/preprocess.js';
import { l2normalize } from '../../../shared/engine/similarity.js';
import type { FaceAnalysis, FaceEngine, Point } from '../../../shared/engine/types.js';
import { wholeView } from '../../../shared/engine/views.js';
import type { RawImage } from '../../../shared/image.js';
import { decodeImage } from '../../../server/src/image/decode.js';
import { createServerEngine, DEFAULT_MODELS_DIR } from '../../../server/src/inference/engine.js';
import { loadModelSet, type ModelSet } from '../../../server/src/inference/packs.js';
import { GRID, identityEmbedder, POOL, scrfdHead } from './graphs.js';

const PHOTO = join(import.meta.dirname, '../../fixtures/compreface-samples/009_C.jpg');

/** What the identity embedder computes, done here by hand: the aligned chip pooled, channels 0 and 2. */
function referenceEmbedding(image: RawImage, five: Point[], spec: TensorSpec): Float32Array {
  const chip = similarityTransform(arcfaceFivePointTemplate(112), five);
  const t = warpToTensor(image, chip, spec); // NCHW
  const out = new Float32Array(2 * GRID * GRID);
  [0, 2].forEach((c, half) => {
    for (let gy = 0; gy < GRID; gy++)
      for (let gx = 0; gx < GRID; gx++) {
        let s = 0;
        for (let y = 0; y < POOL; y++)
          for (let x = 0; x < POOL; x++) s += t[c * 112 * 112 + (gy * POOL + y) * 112 + gx * POOL + x];
        out[half * GRID * GRID + gy * GRID + gx] = s / (POOL * POOL);
      }
  });
  return l2normalize(out);
}

const cosine = (a: Float32Array, b: Float32Array) => a.reduce((s, v, i) => s + v * b[i], 0);
const spec = (colorOrder: 'RGB' | 'BGR', mean: number, std: number): TensorSpec => ({
  width: 112,
  height: 112,
  layout: 'NCHW',
  colorOrder,
  mean: [mean, mean, mean],
  std: [std, std, std],
});

describe('a synthetic InsightFace pack through the engine', () => {
  let dir: string;
  let image: RawImage;
  let builtIn: FaceAnalysis;
  let set: ModelSet;
  const engines: FaceEngine[] = [];
  const run = async (detector: string, embedder: string) => {
    const engine = await createServerEngine({ models: set, detector, embedder });
    engines.push(engine);
    const { faces } = await engine.analyze(image, { detectMode: 'fast', embed: true });
    return faces;
  };

  beforeAll(async () => {
    image = await decodeImage(new Uint8Array(await readFile(PHOTO)));
    const reference = await createServerEngine();
    engines.push(reference);
    [builtIn] = (await reference.analyze(image, { detectMode: 'fast' })).faces;
    // the built-in detector's face, written into the SCRFD head in its 640 px input's pixels
    const toInput = invertAffine(wholeView(image.width, image.height, 640).toImage);
    const { x_min, y_min, x_max, y_max } = builtIn.box;
    const [x1, y1] = applyAffine(toInput, [x_min, y_min]);
    const [x2, y2] = applyAffine(toInput, [x_max, y_max]);
    const kps = builtIn.landmarks.map((p) => applyAffine(toInput, p));
    const cells = 640 / 16;
    const cell = Math.floor((y1 + y2) / 2 / 16) * cells + Math.floor((x1 + x2) / 2 / 16);
    const head = scrfdHead([{ box: [x1, y1, x2, y2], kps, score: 0.95, stride: 16, anchor: 2 * cell }]);

    dir = await mkdtemp(join(tmpdir(), 'visor-pack-e2e-'));
    await mkdir(join(dir, 'e2e'));
    await writeFile(join(dir, 'e2e/det_10g.onnx'), head);
    await writeFile(join(dir, 'e2e/w600k_r50.onnx'), identityEmbedder());
    const described = (colorOrder: string, mean: number, std: number) =>
      JSON.stringify({
        task: 'embedder',
        input: { size: [112, 112], colorOrder, mean, std },
        alignment: 'arcface',
        output: { dims: 2 * GRID * GRID },
      });
    await writeFile(join(dir, 'e2e/bgr.onnx'), identityEmbedder());
    await writeFile(join(dir, 'e2e/bgr.json'), described('BGR', 127.5, 127.5));
    await writeFile(join(dir, 'e2e/plain.onnx'), identityEmbedder());
    await writeFile(join(dir, 'e2e/plain.json'), described('RGB', 0, 1));
    set = await loadModelSet(DEFAULT_MODELS_DIR, dir);
    expect(set.packs.map((p) => p.status)).toEqual(['valid', 'valid', 'valid', 'valid']);
  });
  afterAll(async () => {
    for (const e of engines) await e.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('finds the known face with the SCRFD pack and embeds it with the ArcFace pack', async () => {
    const faces = await run('e2e.det_10g', 'e2e.w600k_r50');
    expect(faces).toHaveLength(1);
    const [face] = faces;
    for (const k of ['x_min', 'y_min', 'x_max', 'y_max'] as const)
      expect(Math.abs(face.box[k] - builtIn.box[k]), k).toBeLessThanOrEqual(1);
    expect(face.embedding).toHaveLength(512);
    // ArcFace's template, RGB, (pixel - 127.5) / 127.5: the engine's chip is the hand-made one
    const ref = referenceEmbedding(image, face.landmarks, spec('RGB', 127.5, 127.5));
    expect(cosine(face.embedding!, ref)).toBeGreaterThan(0.995);
    // another template would not match: the same chip shifted by 8 px
    const shifted = referenceEmbedding(
      image,
      face.landmarks.map(([x, y]) => [x + 8, y] as Point),
      spec('RGB', 127.5, 127.5),
    );
    expect(cosine(face.embedding!, shifted)).toBeLessThan(cosine(face.embedding!, ref) - 0.01);
  });

  it("follows the JSON's colour order and normalisation", async () => {
    const [rgb] = await run('blazeface-back', 'e2e.w600k_r50');
    const [bgr] = await run('blazeface-back', 'e2e.bgr');
    const [plain] = await run('blazeface-back', 'e2e.plain');
    const half = GRID * GRID;
    // BGR puts blue in the model's first channel: the embedding's halves swap
    for (let i = 0; i < half; i += 17) {
      expect(bgr.embedding![i]).toBeCloseTo(rgb.embedding![half + i], 5);
      expect(bgr.embedding![half + i]).toBeCloseTo(rgb.embedding![i], 5);
    }
    const ref = referenceEmbedding(image, plain.landmarks, spec('RGB', 0, 1));
    expect(cosine(plain.embedding!, ref)).toBeGreaterThan(0.995);
    expect(cosine(plain.embedding!, rgb.embedding!)).toBeLessThan(0.99);
  });
});
