// The mask plugin: its pure maths, then the real engine on real photos as they are (without_mask) and with a
// synthetic mask drawn from their face mesh (with_mask; under the nose: mask_weared_incorrect).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drawMask, seeded, type MaskStyle } from '../../models/mask/draw.js';
import head from '../../models/mask/head.json';
import { applyAffine } from '../../shared/engine/affine.js';
import {
  MASK_LABELS,
  applyHead,
  faceFrame,
  maskResult,
  type MaskHead,
} from '../../shared/engine/plugins/mask.js';
import type { FaceEngine, Point } from '../../shared/engine/types.js';
import type { RawImage } from '../../shared/image.js';
import { decodeImage } from '../../server/src/image/decode.js';
import { createServerEngine } from '../../server/src/inference/engine.js';

describe('mask maths', () => {
  it('frames the face: eye centre at the origin, mouth centre one unit down', () => {
    // Eyes level at y = 100, mouth 40 px lower: unit d = 40; grid x in [-1, 1] d over 16 columns, y from -0.8 d.
    const five: Point[] = [
      [80, 100],
      [120, 100],
      [100, 120],
      [85, 140],
      [115, 140],
    ];
    const m = faceFrame(five);
    const eyeCentre = applyAffine(m, [8, (0.8 / 2.4) * 24]);
    expect(eyeCentre[0]).toBeCloseTo(100, 9);
    expect(eyeCentre[1]).toBeCloseTo(100, 9);
    const mouth = applyAffine(m, [8, (1.8 / 2.4) * 24]);
    expect(mouth[0]).toBeCloseTo(100, 9);
    expect(mouth[1]).toBeCloseTo(140, 9);
  });

  it('applies the head: standardise, ReLU between layers, softmax, most probable label', () => {
    const h: MaskHead = {
      labels: MASK_LABELS,
      mean: [1, 0],
      std: [2, 1],
      layers: [
        {
          weights: [
            [1, 0],
            [0, 1],
          ],
          bias: [0, 0],
        },
        {
          weights: [
            [1, 0],
            [0, 1],
            [0, 0],
          ],
          bias: [0, 0, 0],
        },
      ],
    };
    // x = (5, -3) → standardised (2, -3) → ReLU (2, 0) → logits (2, 0, 0)
    const p = applyHead(h, [5, -3]);
    const e2 = Math.exp(2);
    expect(p[0]).toBeCloseTo(e2 / (e2 + 2), 12);
    expect(p[1]).toBeCloseTo(1 / (e2 + 2), 12);
    expect(maskResult(h, p)).toEqual({
      value: 'without_mask',
      probability: Math.round((e2 / (e2 + 2)) * 1e5) / 1e5,
    });
  });

  it('ships a trained head with a held-back accuracy', () => {
    const report = (head as { report?: { heldBack: { accuracy: number; samples: number } } }).report;
    expect(report?.heldBack.samples).toBeGreaterThan(100);
    expect(report?.heldBack.accuracy).toBeGreaterThan(0.85);
  });
});

describe('mask plugin on real photos', () => {
  let engine: FaceEngine;
  /** A fixture decoded at most 1000 px on a side, as a plain image (results in its own pixels). */
  const photo = async (name: string): Promise<RawImage> => {
    const bytes = new Uint8Array(
      await readFile(join(import.meta.dirname, '../fixtures/compreface-samples', name)),
    );
    const { data, width, height, channels } = await decodeImage(bytes, { maxSide: 1000 });
    return { data, width, height, channels };
  };
  const SURGICAL: MaskStyle = {
    kind: 'surgical',
    colour: [140, 190, 215],
    colour2: [0, 0, 0],
    period: 0.1,
    angle: 0,
    straps: true,
  };
  const CLOTH: MaskStyle = { ...SURGICAL, kind: 'cloth', colour: [40, 40, 44], straps: false };
  beforeAll(async () => {
    engine = await createServerEngine();
  });
  afterAll(() => engine?.dispose());

  for (const name of ['004_A.jpg', '007_B.jpg', '009_C.jpg']) {
    it(`${name}: without_mask as is, with_mask under a drawn mask, mask_weared_incorrect under the nose`, async () => {
      const image = await photo(name);
      const [bare] = (await engine.analyze(image, { plugins: ['mask', 'landmarks3d'], limit: 1 })).faces;
      expect(bare.mask?.value).toBe('without_mask');
      expect(bare.mask!.probability).toBeGreaterThan(0.5);
      expect(bare.execution_time.mask).toBeGreaterThanOrEqual(0);
      for (const style of [SURGICAL, CLOTH]) {
        const masked = drawMask(image, bare.landmarks3d!, 'correct', style, seeded(1));
        const [face] = (await engine.analyze(masked, { plugins: ['mask'], limit: 1 })).faces;
        expect(face.mask?.value, style.kind).toBe('with_mask');
        const under = drawMask(image, bare.landmarks3d!, 'under_nose', style, seeded(1));
        const [worn] = (await engine.analyze(under, { plugins: ['mask'], limit: 1 })).faces;
        expect(worn.mask?.value, `${style.kind} under the nose`).toBe('mask_weared_incorrect');
      }
    });
  }

  it('answers on every face of a group photo', async () => {
    const { faces } = await engine.analyze(await photo('000_5.jpg'), { plugins: ['mask'] });
    expect(faces.length).toBe(5);
    for (const f of faces) expect(MASK_LABELS).toContain(f.mask?.value);
  });

  it('ignores plugin names it does not know, as CompreFace does', async () => {
    // CompreFace: embedding-calculator/src/services/facescan/plugins/managers.py, filter_face_plugins keeps only
    // the plugins whose slug was asked for, so an unknown name selects nothing and fails nothing.
    const image = await photo('009_C.jpg');
    const { faces } = await engine.analyze(image, { plugins: ['nope' as never, 'gender'] });
    expect(faces).toHaveLength(1);
    expect(faces[0].gender?.value).toBe('male');
    expect(faces[0].execution_time).not.toHaveProperty('nope');
  });
});
