// The kiosk's FaceLocator (web/src/lib/inference/locate.ts) in Node over onnxruntime-node: it reads its model
// through the detector's layout, so on a real photo scaled to its input it finds the one face where the face is.
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODELS_DIR } from '../../server/src/inference/engine.js';
import { OrtSessionProvider, readManifest } from '../../server/src/inference/ort.js';
import type { ModelCatalog } from '../../shared/engine/manifest.js';
import { FaceLocator } from '../../web/src/lib/inference/locate.js';

const source = join(import.meta.dirname, '../fixtures/compreface-samples/009_C.jpg');
/** The face's box in 009_C.jpg (348x522), as the detector reports it at full size (detector-mapping.test.ts). */
const FACE = { x: 89, y: 149, side: 166 };

let sessions: OrtSessionProvider;
let catalog: ModelCatalog;
beforeAll(async () => {
  catalog = await readManifest(DEFAULT_MODELS_DIR);
  sessions = new OrtSessionProvider(DEFAULT_MODELS_DIR, catalog, {});
});
afterAll(() => sessions?.dispose());

/** A square crop of the photo around the face (twice its side), as RGBA of `side` pixels. */
async function crop(side: number) {
  const { data, info } = await sharp(source)
    .extract({
      left: FACE.x - FACE.side / 2,
      top: FACE.y - FACE.side / 2,
      width: 2 * FACE.side,
      height: 2 * FACE.side,
    })
    .resize(side, side)
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height, channels: 4 as const };
}

describe('FaceLocator', () => {
  it.each(['blazeface-front', 'blazeface-back'])('%s finds the face in the middle of a crop', async (id) => {
    const locator = await FaceLocator.open(sessions, catalog, id);
    const side = locator.inputSize;
    expect(side).toBe(catalog.models[id].input.shape[1]);
    const found = await locator.locate(await crop(side), 0.5);
    expect(found).toHaveLength(1);
    const [f] = found;
    // the face fills the middle half of the crop
    expect((f.x1 + f.x2) / 2 / side).toBeCloseTo(0.5, 1);
    expect((f.y1 + f.y2) / 2 / side).toBeCloseTo(0.5, 1);
    expect((f.x2 - f.x1) / side).toBeGreaterThan(0.35);
    expect((f.x2 - f.x1) / side).toBeLessThan(0.65);
  });
});
