// AnalyzeOptions.candidates: faces located elsewhere (the kiosk's scan) skip the detector; the engine still
// verifies them, then landmarks, aligns and embeds each. Real engine, real photos.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Candidate } from '../../shared/engine/nms.js';
import type { FaceEngine } from '../../shared/engine/types.js';
import type { RawImage } from '../../shared/image.js';
import { decodeImage } from '../../server/src/image/decode.js';
import { createServerEngine } from '../../server/src/inference/engine.js';

const photo = async (name: string): Promise<RawImage> => {
  const bytes = new Uint8Array(
    await readFile(join(import.meta.dirname, '../fixtures/compreface-samples', name)),
  );
  const { data, width, height, channels } = await decodeImage(bytes, { maxSide: 1000 });
  return { data, width, height, channels };
};

const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, v, i) => s + v * b[i], 0);

describe('analyze with given candidates', () => {
  let engine: FaceEngine;
  beforeAll(async () => {
    engine = await createServerEngine();
  });
  afterAll(async () => {
    await engine?.dispose();
  });

  it('embeds a located face without the detector, as the full pipeline does', async () => {
    const image = await photo('001_A.jpg');
    const full = await engine.analyze(image, { embed: true, limit: 1 });
    const b = full.faces[0].box;
    // a coarser box than the detector's (the kiosk's scan runs on a 256 px view of the frame): shifted 4 %
    const shift = 0.04 * (b.x_max - b.x_min);
    const given: Candidate = {
      x1: b.x_min + shift,
      y1: b.y_min - shift,
      x2: b.x_max + shift,
      y2: b.y_max - shift,
      score: 0.9,
      keypoints: [],
    };
    const r = await engine.analyze(image, { embed: true, candidates: [given] });
    expect(r.execution_time.detector).toBeUndefined();
    expect(r.execution_time.verifier).toBeGreaterThanOrEqual(0);
    expect(r.faces).toHaveLength(1);
    expect(r.faces[0].box.x_min).toBe(Math.round(given.x1));
    // the 68 landmarks re-locate the face in the given box: the same person's embedding, nearly the same vector
    expect(dot(r.faces[0].embedding!, full.faces[0].embedding!)).toBeGreaterThan(0.95);
  });

  it('drops a given place the verifier finds no face in', async () => {
    const image = await photo('001_A.jpg');
    const full = await engine.analyze(image, { limit: 1 });
    const b = full.faces[0].box;
    const side = b.x_max - b.x_min;
    // the same size, beside the face where there is none (the photo's corner farther from it)
    const x1 = b.x_min > image.width / 2 ? 0 : image.width - side;
    const y1 = b.y_min > image.height / 2 ? 0 : image.height - side;
    const place: Candidate = { x1, y1, x2: x1 + side, y2: y1 + side, score: 0.9, keypoints: [] };
    const r = await engine.analyze(image, { embed: true, candidates: [place] });
    expect(r.faces).toEqual([]);
  });
});
