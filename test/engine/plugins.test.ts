// Plugins: pure decoders against reference values, and every plugin on a real photo through the server engine.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ageRange, genderFrom } from '../../shared/engine/plugins/attributes.js';
import { poseFromMesh } from '../../shared/engine/plugins/mesh.js';
import { laplacianVariance } from '../../shared/engine/plugins/quality.js';
import { PLUGINS, type FaceEngine } from '../../shared/engine/types.js';
import { decodeImage } from '../../server/src/image/decode.js';
import { createServerEngine } from '../../server/src/inference/engine.js';

describe('plugin maths', () => {
  it('reports the shortest age range holding half the probability', () => {
    const p = new Array(100).fill(0);
    p[30] = 0.2;
    p[31] = 0.35;
    p[32] = 0.25;
    p[60] = 0.2;
    expect(ageRange(p)).toEqual({ low: 31, high: 33, probability: 0.6 });
  });
  it('turns a male sigmoid into a gender and its probability', () => {
    expect(genderFrom(0.9)).toEqual({ value: 'male', probability: 0.9 });
    expect(genderFrom(0.2).value).toBe('female');
    expect(genderFrom(0.2).probability).toBeCloseTo(0.8, 9);
  });
  it('reads yaw, pitch and roll from mesh axes', () => {
    const mesh: [number, number, number][] = new Array(468).fill([0, 0, 0]);
    const turn = (deg: number) => (deg * Math.PI) / 180;
    // cheeks 234 → 454 rotated 20° about the vertical axis (far cheek deeper), forehead 10 → chin 152 upright
    mesh[234] = [-Math.cos(turn(20)), 0, -Math.sin(turn(20))];
    mesh[454] = [Math.cos(turn(20)), 0, Math.sin(turn(20))];
    mesh[10] = [0, -1, 0];
    mesh[152] = [0, 1, 0];
    expect(poseFromMesh(mesh)).toEqual({ yaw: 20, pitch: -0, roll: 0 });
  });
  it('measures sharpness as the variance of the Laplacian', () => {
    const flat = new Float32Array(25).fill(100);
    expect(laplacianVariance(flat, 5, 5)).toBe(0);
    const checker = Float32Array.from({ length: 25 }, (_, i) =>
      ((i % 5) + Math.floor(i / 5)) % 2 ? 255 : 0,
    );
    // inner 3x3: five +1020 and four -1020 responses
    expect(laplacianVariance(checker, 5, 5)).toBeCloseTo(1020 ** 2 * (1 - 1 / 81), 3);
  });
});

describe('plugins on a real photo', () => {
  let engine: FaceEngine;
  beforeAll(async () => {
    engine = await createServerEngine();
  });
  afterAll(() => engine?.dispose());

  it('fills every plugin with its own execution time', async () => {
    const file = join(import.meta.dirname, '../fixtures/compreface-samples/009_C.jpg');
    const image = await decodeImage(new Uint8Array(await readFile(file)));
    const { faces } = await engine.analyze(image, { plugins: PLUGINS });
    expect(faces).toHaveLength(1);
    const f = faces[0];
    for (const p of PLUGINS) expect(f.execution_time[p], p).toBeGreaterThanOrEqual(0);
    expect(f.embedding).toHaveLength(engine.embeddingSize);
    expect(f.age!.low).toBeLessThan(f.age!.high);
    expect(f.gender!.value).toBe('male');
    expect(Math.abs(f.pose!.yaw)).toBeLessThan(20);
    expect(Math.abs(f.pose!.roll)).toBeLessThan(10);
    expect(Object.keys(f.emotion!.scores)).toHaveLength(7);
    expect(f.liveness!.probability).toBeGreaterThanOrEqual(0.5);
    expect(f.landmarks3d).toHaveLength(468);
    expect(f.quality).toMatchObject({ acceptable: true, reasons: [] });
    expect(f.mask?.value).toBe('without_mask');
  });
});
