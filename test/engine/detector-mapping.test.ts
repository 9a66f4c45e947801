// Detector views map back to image pixels: a real face (CompreFace's 009_C.jpg) pasted at known places in big
// canvases lands under its box in every view of every plan, at every box-shrink factor (1-4) the sampler uses, and
// the whole accurate plan finds every pasted face with no box beside one (issue 14: boxes on collars and between
// heads came from views whose detections were mapped or kept wrongly).
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RawImage } from '../../shared/image.js';
import { affineScale } from '../../shared/engine/affine.js';
import { BlazeFaceDetector, pyramidSides } from '../../shared/engine/detector.js';
import { tileViews, wholeView, type View } from '../../shared/engine/views.js';
import type { Candidate } from '../../shared/engine/nms.js';
import { DEFAULT_MODELS_DIR } from '../../server/src/inference/engine.js';
import { OrtSessionProvider, readManifest } from '../../server/src/inference/ort.js';

const INPUT = 256;
/** Pasted faces span this many detector pixels in the view they are meant for (well inside the model's range). */
const FACE_INPUT = 64;
const source = join(import.meta.dirname, '../fixtures/compreface-samples/009_C.jpg');
/** The face's box in 009_C.jpg (348x522), as the detector reports it there at full size. */
const FACE = { x: 89, y: 149, side: 166 };

let sessions: OrtSessionProvider;
let detector: BlazeFaceDetector;
beforeAll(async () => {
  const catalog = await readManifest(DEFAULT_MODELS_DIR);
  sessions = new OrtSessionProvider(DEFAULT_MODELS_DIR, catalog, {});
  detector = new BlazeFaceDetector(await sessions.load('blazeface-back'), catalog.models['blazeface-back']);
});
afterAll(() => sessions?.dispose());

interface Placed {
  cx: number;
  cy: number;
  side: number;
}

/** The face's square crop, twice its box, decoded once (RGB bytes). */
const CROP = 2 * FACE.side;
let faceCrop: Promise<Buffer> | undefined;
const resizedCrops = new Map<number, Promise<Buffer>>();

/** The face's crop resized to `size` x `size` RGB bytes, once per size (a crowd pastes the same size hundreds of times). */
function faceCropAt(size: number): Promise<Buffer> {
  let crop = resizedCrops.get(size);
  if (!crop) {
    faceCrop ??= sharp(source)
      .extract({
        left: FACE.x + FACE.side / 2 - FACE.side,
        top: FACE.y + FACE.side / 2 - FACE.side,
        width: CROP,
        height: CROP,
      })
      .removeAlpha()
      .raw()
      .toBuffer();
    crop = faceCrop.then((raw) =>
      sharp(raw, { raw: { width: CROP, height: CROP, channels: 3 } })
        .resize(size, size)
        .raw()
        .toBuffer(),
    );
    resizedCrops.set(size, crop);
  }
  return crop;
}

/** A grey canvas with the face pasted (as a square crop twice the box) centred on each of `at`, later ones on top. */
async function canvas(width: number, height: number, at: Placed[]): Promise<RawImage> {
  const data = new Uint8Array(width * height * 3);
  data.set([120, 128, 136]);
  for (let n = 3; n < data.length; n *= 2) data.copyWithin(n, 0, Math.min(n, data.length - n));
  for (const { cx, cy, side } of at) {
    const size = Math.round(2 * side);
    const crop = await faceCropAt(size);
    const left = Math.round(cx - size / 2);
    const top = Math.round(cy - size / 2);
    const x0 = Math.max(0, left);
    const x1 = Math.min(width, left + size);
    for (let y = Math.max(0, top); y < Math.min(height, top + size); y++) {
      const from = ((y - top) * size + (x0 - left)) * 3;
      data.set(crop.subarray(from, from + (x1 - x0) * 3), (y * width + x0) * 3);
    }
  }
  return { data, width, height, channels: 3 };
}

/** The box closest to `p` lands on it: centre within a fifth of the face, side within ±35 %. */
function landsOn(boxes: Candidate[], p: Placed): string | undefined {
  const centre = (c: Candidate) => [(c.x1 + c.x2) / 2, (c.y1 + c.y2) / 2];
  const dist = (c: Candidate) => Math.hypot(centre(c)[0] - p.cx, centre(c)[1] - p.cy);
  const best = [...boxes].sort((a, b) => dist(a) - dist(b))[0];
  if (!best) return `no box for the face at (${p.cx.toFixed(0)}, ${p.cy.toFixed(0)})`;
  const side = best.x2 - best.x1;
  if (dist(best) > p.side / 5 || Math.abs(side / p.side - 1) > 0.35)
    return (
      `face at (${p.cx.toFixed(0)}, ${p.cy.toFixed(0)}) side ${p.side.toFixed(0)}: nearest box centred ` +
      `(${centre(best)[0].toFixed(0)}, ${centre(best)[1].toFixed(0)}) side ${side.toFixed(0)}`
    );
  return undefined;
}

// 700 → the whole view samples the photo itself; 1100, 1600, 2100 → box-shrunk by 2, 3 and 4 first.
const SIZES: [number, number][] = [
  [700, 520],
  [1100, 740],
  [1600, 1060],
  [2100, 1400],
];

describe('detector view mapping', () => {
  it('uses every box-shrink factor from 1 to 4 over these canvases', () => {
    const factors = SIZES.map(([w, h]) => Math.floor(Math.max(w, h) / INPUT / 2));
    expect(factors).toEqual([1, 2, 3, 4]);
  });

  for (const [width, height] of SIZES) {
    it(`maps the whole view and every tile of every level back onto the face (${width}x${height})`, async () => {
      const levels: View[][] = [
        [wholeView(width, height, INPUT)],
        ...pyramidSides(width, height, INPUT).map((side) => tileViews(width, height, side, 0.25, INPUT)),
      ];
      const problems: string[] = [];
      for (const views of levels) {
        const side = FACE_INPUT * affineScale(views[0].toImage);
        // one face per view, off its centre by a different amount in each, so positions cover the tile
        const at = views.map((v, i): Placed => {
          const [x1, y1, x2, y2] = v.rect;
          const free = (x2 - x1) / 2 - side;
          const shift = (k: number) => ((((i * 7 + k * 3) % 5) - 2) / 2) * free * 0.5;
          return { cx: (x1 + x2) / 2 + shift(0), cy: (y1 + y2) / 2 + shift(1), side };
        });
        const image = await canvas(width, height, at);
        const found = await detector.detectViews(image, views, 0.5);
        for (const [i, view] of views.entries()) {
          const miss = landsOn(found[i], at[i]);
          if (miss) problems.push(`view ${view.rect.map(Math.round).join(',')}: ${miss}`);
        }
      }
      expect(problems).toEqual([]);
    }, 300_000);
  }

  it('finds every face of a crowd once, with no box beside a face, at every shrink factor', async () => {
    const problems: string[] = [];
    for (const [width, height] of SIZES) {
      const side = 40;
      const at: Placed[] = [];
      for (let cy = 2 * side; cy < height - side; cy += 2.6 * side)
        for (let cx = 1.5 * side + (at.length % 3) * 7; cx < width - side; cx += 2.4 * side)
          at.push({ cx, cy, side });
      const image = await canvas(width, height, at);
      const boxes = (await detector.detect(image, 0.5)).filter((c) => c.score > 0.5);
      for (const p of at) {
        const miss = landsOn(boxes, p);
        if (miss) problems.push(`${width}x${height}: ${miss}`);
      }
      if (boxes.length !== at.length)
        problems.push(`${width}x${height}: ${boxes.length} boxes for ${at.length} faces`);
    }
    expect(problems).toEqual([]);
  }, 300_000);
});
