// LFW View 1 through the whole pipeline (decode → detect → align → embed) on the unaligned 150x150 photos:
// calibration fitted on devtrain, accuracy and operating points reported on devtest (never tuned on it).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeImage } from '../../server/src/image/decode.js';
import {
  bestAccuracyThreshold,
  fitCalibration,
  operatingPoints,
  pointAt,
  type CalibrationFit,
  type OperatingPoint,
  type PairDistance,
  type ThresholdPoint,
} from '../../shared/engine/calibration.js';
import { l2distance } from '../../shared/engine/similarity.js';
import type { AnalyzeResult, FaceAnalysis, FaceEngine } from '../../shared/engine/types.js';
import { progress } from './progress.js';

interface Pair {
  a: string;
  b: string;
  same: boolean;
}

export interface LfwOptions {
  /** The lfw-view1 folder: pairs.json and one folder per person. */
  dir: string;
  engine: FaceEngine;
  /** Pairs per set, evenly spaced so both classes stay represented (0 = all). */
  limit?: number;
  log?: (line: string) => void;
}

export interface LfwReport {
  embedderId: string;
  pairs: { devtrain: number; devtest: number };
  images: number;
  /** Images where the detector found no face at the default threshold (then the whole photo was embedded). */
  noFace: string[];
  /** Images that could not be embedded at all; their pairs count as distance 2 (the maximum). */
  failed: string[];
  fit: CalibrationFit;
  /** Best-accuracy distance threshold chosen on devtrain… */
  trainThreshold: ThresholdPoint;
  /** …and the devtest result at that same threshold: the LFW accuracy. */
  test: Omit<ThresholdPoint, 'distance'>;
  /** devtest accuracy at similarity 0.5 with the fitted c0/c1. */
  testAtEqualError: Omit<ThresholdPoint, 'distance'>;
  operating: { devtrain: OperatingPoint[]; devtest: OperatingPoint[] };
  /** devtest operating points of the calibration the engine ships now (engine.similarity). */
  shipped: { similarity: number; far: number; frr: number }[];
  seconds: number;
}

/** `limit` pairs evenly spaced over the list (the sets list same-person pairs first). */
export function spread<T>(items: readonly T[], limit = 0): T[] {
  if (!limit || limit >= items.length) return [...items];
  return Array.from({ length: limit }, (_, i) => items[Math.floor((i * items.length) / limit)]);
}

/**
 * LFW labels the face its photos are centred on; others often share the frame (457 of the 4,991 View 1 photos have
 * more than one detected face, and in 27 the biggest is not the centred one).
 */
export function centralFace(result: AnalyzeResult): FaceAnalysis | undefined {
  const off = (f: FaceAnalysis) =>
    Math.hypot(
      (f.box.x_min + f.box.x_max - result.width) / 2,
      (f.box.y_min + f.box.y_max - result.height) / 2,
    );
  return result.faces.reduce<FaceAnalysis | undefined>(
    (best, f) => (!best || off(f) < off(best) ? f : best),
    undefined,
  );
}

export async function runLfw(opts: LfwOptions): Promise<LfwReport> {
  const log = opts.log ?? (() => {});
  const started = performance.now();
  const file = JSON.parse(await readFile(join(opts.dir, 'pairs.json'), 'utf8')) as {
    sets: Record<string, Pair[]>;
  };
  const train = spread(file.sets.devtrain, opts.limit);
  const test = spread(file.sets.devtest, opts.limit);
  const paths = [...new Set([...train, ...test].flatMap((p) => [p.a, p.b]))];
  const embeddings = new Map<string, Float32Array | undefined>();
  const noFace: string[] = [];
  const failed: string[] = [];
  const tick = progress('lfw images', paths.length, log);
  for (const path of paths) {
    try {
      const image = await decodeImage(new Uint8Array(await readFile(join(opts.dir, path))));
      let result = await opts.engine.analyze(image, { embed: true });
      if (result.faces.length === 0) {
        noFace.push(path);
        result = await opts.engine.analyze(image, { embed: true, limit: 1, detectFaces: false });
      }
      const embedding = centralFace(result)?.embedding;
      if (!embedding) failed.push(path);
      embeddings.set(path, embedding);
    } catch (e) {
      failed.push(path);
      log(`  ${path}: ${e instanceof Error ? e.message : String(e)}`);
    }
    tick();
  }

  const distances = (pairs: Pair[]): PairDistance[] =>
    pairs.map((p) => {
      const a = embeddings.get(p.a);
      const b = embeddings.get(p.b);
      return { distance: a && b ? l2distance(a, b) : 2, same: p.same };
    });
  const dTrain = distances(train);
  const dTest = distances(test);
  const fit = fitCalibration(dTrain);
  const trainThreshold = bestAccuracyThreshold(dTrain);
  const shippedPoints = [0.5, 0.7, 0.9].map((similarity) => {
    let sameOut = 0;
    let diffIn = 0;
    for (const p of test) {
      const a = embeddings.get(p.a);
      const b = embeddings.get(p.b);
      const accept = a && b ? opts.engine.similarity(a, b) >= similarity : false;
      if (p.same && !accept) sameOut++;
      if (!p.same && accept) diffIn++;
    }
    const nSame = test.filter((p) => p.same).length;
    return { similarity, far: diffIn / (test.length - nSame), frr: sameOut / nSame };
  });
  return {
    embedderId: opts.engine.embedderId,
    pairs: { devtrain: train.length, devtest: test.length },
    images: paths.length,
    noFace,
    failed,
    fit,
    trainThreshold,
    test: pointAt(dTest, trainThreshold.distance),
    testAtEqualError: pointAt(dTest, fit.c0),
    operating: { devtrain: operatingPoints(dTrain, fit), devtest: operatingPoints(dTest, fit) },
    shipped: shippedPoints,
    seconds: (performance.now() - started) / 1000,
  };
}
