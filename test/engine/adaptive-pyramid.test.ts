// The accurate plan's adaptive pyramid (issue 14): a one-face photo does not pay for crowd search (no more detector
// views than the fast plan, where the plan before ran ten times as many), while a photo whose faces keep appearing
// at finer levels still gets every level and every face. Real models, real photos, counted detector runs.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RawImage } from '../../shared/image.js';
import {
  BlazeFaceDetector,
  DEFAULT_DETECTOR_SETTINGS,
  DEFAULT_PYRAMID_PLAN,
  type ConfirmFaces,
} from '../../shared/engine/detector.js';
import { createEngine } from '../../shared/engine/engine.js';
import type { ModelSession } from '../../shared/engine/session.js';
import { FaceVerifier } from '../../shared/engine/verify.js';
import { loadConfig } from '../../server/src/config.js';
import { decodeImage } from '../../server/src/image/decode.js';
import { DEFAULT_MODELS_DIR } from '../../server/src/inference/engine.js';
import { OrtSessionProvider, readManifest } from '../../server/src/inference/ort.js';

const samples = join(import.meta.dirname, '../fixtures/compreface-samples');

let sessions: OrtSessionProvider;
let catalog: Awaited<ReturnType<typeof readManifest>>;
let views = 0;
let adaptive: BlazeFaceDetector;
let everyLevel: BlazeFaceDetector;
let verifier: FaceVerifier;
beforeAll(async () => {
  catalog = await readManifest(DEFAULT_MODELS_DIR);
  sessions = new OrtSessionProvider(DEFAULT_MODELS_DIR, catalog, {});
  const real = await sessions.load('blazeface-back');
  const counted: ModelSession = {
    inputNames: real.inputNames,
    outputNames: real.outputNames,
    run: (feeds) => (views++, real.run(feeds)),
  };
  const info = catalog.models['blazeface-back'];
  adaptive = new BlazeFaceDetector(counted, info);
  everyLevel = new BlazeFaceDetector(counted, info, {
    ...DEFAULT_DETECTOR_SETTINGS,
    pyramid: { ...DEFAULT_PYRAMID_PLAN, adaptive: false },
  });
  verifier = new FaceVerifier(await sessions.load('facemesh'), catalog.models['facemesh']);
});
afterAll(() => sessions?.dispose());

async function run(
  detector: BlazeFaceDetector,
  image: RawImage,
  mode: 'fast' | 'accurate',
): Promise<{ faces: number; views: number }> {
  const confirm: ConfirmFaces = (cs) => verifier.filter(image, cs);
  views = 0;
  const found = await detector.detect(image, 0.5, mode, confirm);
  const counted = views;
  return { faces: (await confirm(found)).length, views: counted };
}

/** `face` (009_C's face, a square crop twice its box) pasted at each of `at` on a grey canvas. */
async function canvas(width: number, height: number, at: { cx: number; cy: number; side: number }[]) {
  const face = { x: 89, y: 149, side: 166 };
  const crop = await sharp(join(samples, '009_C.jpg'))
    .extract({
      left: face.x - face.side / 2,
      top: face.y - face.side / 2,
      width: 2 * face.side,
      height: 2 * face.side,
    })
    .toBuffer();
  const layers = await Promise.all(
    at.map(async ({ cx, cy, side }) => ({
      input: await sharp(crop)
        .resize(Math.round(2 * side))
        .toBuffer(),
      left: Math.round(cx - side),
      top: Math.round(cy - side),
    })),
  );
  const { data, info } = await sharp({
    create: { width, height, channels: 3, background: { r: 120, g: 128, b: 136 } },
  })
    .composite(layers)
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height, channels: 3 as const };
}

describe('adaptive pyramid', () => {
  it('searches a one-face 36 MP portrait with no more views than the fast plan', async () => {
    const bytes = new Uint8Array(await readFile(join(samples, '001_A.jpg')));
    const image = await decodeImage(bytes, { maxSide: loadConfig().analysisMaxSide });
    const fast = await run(adaptive, image, 'fast');
    const accurate = await run(adaptive, image, 'accurate');
    const before = await run(everyLevel, image, 'accurate');
    expect([fast.faces, accurate.faces, before.faces]).toEqual([1, 1, 1]);
    expect(accurate.views).toBeLessThanOrEqual(fast.views);
    // the plan before sized the pyramid by unconfirmed candidates and ran every level
    expect(before.views).toBeGreaterThan(4 * accurate.views);
  }, 120_000);

  it('checks each face of a group photo with facemesh once: the final check reuses the pyramid verdicts', async () => {
    let checks = 0;
    const engine = await createEngine({
      catalog,
      sessions: {
        load: async (id) => {
          const real = await sessions.load(id);
          if (id !== 'facemesh') return real;
          return {
            inputNames: real.inputNames,
            outputNames: real.outputNames,
            run: (feeds) => (checks++, real.run(feeds)),
          };
        },
      },
    });
    const bytes = new Uint8Array(await readFile(join(samples, '000_5.jpg')));
    const result = await engine.analyze(await decodeImage(bytes), {});
    expect(result.faces).toHaveLength(5);
    expect(checks).toBe(5);
  }, 120_000);

  it('goes on down while each level finds new faces, and finds them all', async () => {
    // 2100x1400: faces of 220, 110 and 55 px, each size half the one before, as the pyramid's levels halve
    const at = [
      ...[0, 1].map((i) => ({ cx: 300 + 500 * i, cy: 300, side: 220 })),
      ...[0, 1, 2].map((i) => ({ cx: 1300 + 280 * i, cy: 260, side: 110 })),
      ...[0, 1, 2, 3, 4, 5].map((i) => ({ cx: 200 + 300 * i, cy: 1000 + (i % 2) * 150, side: 55 })),
    ];
    const image = await canvas(2100, 1400, at);
    const accurate = await run(adaptive, image, 'accurate');
    const before = await run(everyLevel, image, 'accurate');
    expect(accurate.faces).toBe(at.length);
    expect(before.faces).toBe(at.length);
    // past the whole view (1) and the 1050 px level (6 tiles), which found new faces, to the 525 px one (20 tiles)
    expect(accurate.views).toBeGreaterThanOrEqual(1 + 6 + 20);
    expect(accurate.views).toBeLessThan(before.views);
  }, 300_000);
});
