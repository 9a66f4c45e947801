// Issue 14's recall work: a coarse view's score handed to the finer box of the same face (inheritScores), the
// frontal-keypoint check and the embedder-quality rescue of candidates facemesh rejects, the last on real photos
// with the real models (CompreFace's samples: faces pass, the faceless 017_0.jpg gives nothing the rescue keeps).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChipEmbedder } from '../../shared/engine/align.js';
import { BlazeFaceDetector, inheritScores } from '../../shared/engine/detector.js';
import type { Candidate } from '../../shared/engine/nms.js';
import {
  DEFAULT_QUALITY_RESCUE,
  frontalKeypoints,
  qualityRescue,
} from '../../shared/engine/quality-rescue.js';
import type { Point } from '../../shared/engine/types.js';
import type { RawImage } from '../../shared/image.js';
import { decodeImage } from '../../server/src/image/decode.js';
import { DEFAULT_MODELS_DIR } from '../../server/src/inference/engine.js';
import { OrtSessionProvider, readManifest } from '../../server/src/inference/ort.js';

const box = (x1: number, y1: number, x2: number, y2: number, score: number, keypoints: Point[] = []) => ({
  x1,
  y1,
  x2,
  y2,
  score,
  keypoints,
});

describe('inheritScores', () => {
  it('hands a dropped coarse candidate’s better score to the kept box it overlaps most, keeping its own', () => {
    const a = box(0, 0, 100, 100, 0.3);
    const b = box(40, 0, 140, 100, 0.35);
    const coarse = box(5, 0, 105, 100, 0.7); // IoU 0.90 with a, 0.47 with b
    const [ia, ib] = inheritScores([a, b], [coarse], 0.3);
    expect(ia.score).toBe(0.7);
    expect(ia.viewScore).toBe(0.3);
    expect(ib).toBe(b);
  });

  it('changes nothing for a weaker or barely overlapping coarse candidate', () => {
    const a = box(0, 0, 100, 100, 0.6);
    expect(inheritScores([a], [box(0, 0, 100, 100, 0.5)], 0.3)).toEqual([a]);
    expect(inheritScores([a], [box(80, 80, 180, 180, 0.9)], 0.3)).toEqual([a]);
  });
});

describe('frontalKeypoints', () => {
  const b = DEFAULT_QUALITY_RESCUE.bounds;
  // an upright 100 px box: eyes 40 px apart, nose 22 px and mouth 42 px below the eye line
  const face: Point[] = [
    [30, 40],
    [70, 40],
    [50, 62],
    [50, 82],
  ];
  it('accepts a frontal face, upright or rolled by 90°', () => {
    expect(frontalKeypoints(box(0, 0, 100, 100, 0.9, face), b)).toBe(true);
    const rolled = face.map(([x, y]) => [100 - y, x] as Point);
    expect(frontalKeypoints(box(0, 0, 100, 100, 0.9, rolled), b)).toBe(true);
  });

  it('refuses layouts no face has: upside down, eyes too close for the box, nose far to one side', () => {
    const upsideDown = face.map(([x, y]) => [100 - x, 100 - y] as Point).reverse();
    expect(frontalKeypoints(box(0, 0, 100, 100, 0.9, [face[1], face[0], ...face.slice(2)]), b)).toBe(false);
    expect(frontalKeypoints(box(0, 0, 100, 100, 0.9, upsideDown), b)).toBe(false);
    const close: Point[] = [
      [45, 40],
      [55, 40],
      [50, 45],
      [50, 50],
    ];
    expect(frontalKeypoints(box(0, 0, 100, 100, 0.9, close), b)).toBe(false);
    const aside: Point[] = [face[0], face[1], [90, 62], face[3]];
    expect(frontalKeypoints(box(0, 0, 100, 100, 0.9, aside), b)).toBe(false);
    expect(frontalKeypoints(box(0, 0, 100, 100, 0.9, []), b)).toBe(false);
  });
});

describe('qualityRescue on real photos', () => {
  let sessions: OrtSessionProvider;
  let detector: BlazeFaceDetector;
  let embedder: ChipEmbedder;
  beforeAll(async () => {
    const catalog = await readManifest(DEFAULT_MODELS_DIR);
    sessions = new OrtSessionProvider(DEFAULT_MODELS_DIR, catalog, {});
    detector = new BlazeFaceDetector(await sessions.load('blazeface-back'), catalog.models['blazeface-back']);
    embedder = new ChipEmbedder(
      await sessions.load('faceplugin-recognition'),
      catalog.models['faceplugin-recognition'],
    );
  });
  afterAll(() => sessions?.dispose());

  const photo = async (name: string): Promise<RawImage> =>
    decodeImage(
      new Uint8Array(await readFile(join(import.meta.dirname, '../fixtures/compreface-samples', name))),
      {
        maxSide: 1920,
      },
    );
  const rescued = async (image: RawImage, cs: Candidate[]) => {
    const keep = qualityRescue(image, embedder, 'faceplugin-recognition')!;
    const out: boolean[] = [];
    for (const c of cs) out.push(await keep(c));
    return out;
  };

  it('keeps the five faces of 000_5.jpg: long embeddings, frontal keypoints', async () => {
    const image = await photo('000_5.jpg');
    const faces = (await detector.detect(image, 0.5, 'fast')).filter((c) => c.score >= 0.8);
    expect(faces.length).toBe(5);
    expect(await rescued(image, faces)).toEqual(faces.map(() => true));
    for (const c of faces)
      expect(await embedder.rawNorm(image, embedder.chipAffineFromKeypoints(c.keypoints))).toBeGreaterThan(
        DEFAULT_QUALITY_RESCUE.minNorm['faceplugin-recognition'],
      );
  });

  it('keeps nothing the detector proposes on the faceless 017_0.jpg, even at raw 0.2', async () => {
    const image = await photo('017_0.jpg');
    const candidates = await detector.detect(image, 0.2, 'accurate');
    expect(candidates.length).toBeGreaterThan(0);
    expect(await rescued(image, candidates)).toEqual(candidates.map(() => false));
  });

  it('rescues nothing for an embedder whose norm floor was never measured', () => {
    expect(
      qualityRescue({ data: new Uint8Array(3), width: 1, height: 1, channels: 3 }, embedder, 'other'),
    ).toBe(undefined);
  });
});
