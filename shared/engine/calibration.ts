// Similarity calibration: the constants per embedder, and the pure fit that produces them from labelled pair
// distances (LFW View 1 devtrain): c0 at the equal-error distance, c1 by logistic regression, operating points.
import { calibratedSimilarity, type Calibration } from './similarity.js';

export const CALIBRATIONS: Record<string, Calibration> = {
  // `npm run eval -- --only lfw` prints these: fitted on LFW View 1 devtrain (2200 pairs) through the whole pipeline
  // as of 2026-11-28 (BlazeFace back + tiles + facemesh check, 68 landmarks, each photo's centred face). Refit when
  // detection or alignment changes.
  // ArcFace five-point alignment, BGR, no mirror: equal-error rate 0.64 % on devtrain; devtest 99.30 % at the
  // devtrain threshold, 98.80 % at similarity 0.5.
  'faceplugin-recognition': { c0: 1.2165, c1: 22.02 },
  // dlib chip, mirrored pass: equal-error rate 0.73 % on devtrain; devtest 98.90 %, 98.80 % at similarity 0.5.
  'faceapi-recognition': { c0: 0.4107, c1: 42.604 },
  faceres: { c0: 1.0, c1: 6 },
};

export function calibrationFor(modelId: string): Calibration {
  const c = CALIBRATIONS[modelId];
  if (!c) throw new RangeError(`no similarity calibration for embedder ${modelId}`);
  return c;
}

/** The L2 distance between the embeddings of a labelled pair. */
export interface PairDistance {
  distance: number;
  same: boolean;
}

/** A distance threshold (accept when distance ≤ threshold) with what it gets right. */
export interface ThresholdPoint {
  distance: number;
  /** Different-person pairs accepted / different-person pairs. */
  far: number;
  /** Same-person pairs rejected / same-person pairs. */
  frr: number;
  accuracy: number;
}

/** A similarity threshold (accept when similarity ≥ threshold) and its error rates. */
export interface OperatingPoint {
  similarity: number;
  /** The L2 distance that maps to this similarity. */
  distance: number;
  far: number;
  frr: number;
}

export interface CalibrationFit extends Calibration {
  /** (FAR + FRR) / 2 at c0. */
  equalErrorRate: number;
}

interface Sweep {
  sorted: PairDistance[];
  /** cut i: the first i sorted pairs are accepted (0 … n). */
  point: (i: number) => { far: number; frr: number; accuracy: number };
  /** A distance strictly between sorted[i-1] and sorted[i] (or beyond the ends). */
  between: (i: number) => number;
  /** Indices of cuts that fall between distinct distances (a threshold can realise them). */
  cuts: number[];
}

function sweep(pairs: readonly PairDistance[]): Sweep {
  const sorted = [...pairs].sort((a, b) => a.distance - b.distance);
  if (sorted.some((p) => !Number.isFinite(p.distance))) throw new RangeError('pair distances must be finite');
  const nSame = sorted.filter((p) => p.same).length;
  const nDiff = sorted.length - nSame;
  if (nSame === 0 || nDiff === 0) throw new RangeError('need both same-person and different-person pairs');
  const acceptedSame = new Int32Array(sorted.length + 1);
  for (let i = 0; i < sorted.length; i++) acceptedSame[i + 1] = acceptedSame[i] + (sorted[i].same ? 1 : 0);
  const point = (i: number) => {
    const sameIn = acceptedSame[i];
    const diffIn = i - sameIn;
    return {
      far: diffIn / nDiff,
      frr: (nSame - sameIn) / nSame,
      accuracy: (sameIn + nDiff - diffIn) / sorted.length,
    };
  };
  const n = sorted.length;
  const between = (i: number) =>
    i === 0
      ? sorted[0].distance - 1
      : i === n
        ? sorted[n - 1].distance + 1
        : (sorted[i - 1].distance + sorted[i].distance) / 2;
  const cuts = [0];
  for (let i = 1; i < n; i++) if (sorted[i].distance > sorted[i - 1].distance) cuts.push(i);
  cuts.push(n);
  return { sorted, point, between, cuts };
}

/**
 * The equal-error threshold: the distance minimising max(FAR, FRR). When a range of distances ties (e.g. the
 * classes separate perfectly) it is the middle of that range: halfway between the last same-person distance
 * accepted and the first rejected distance.
 */
export function equalErrorPoint(pairs: readonly PairDistance[]): ThresholdPoint {
  const s = sweep(pairs);
  const worst = (i: number) => Math.max(s.point(i).far, s.point(i).frr);
  const best = Math.min(...s.cuts.map(worst));
  const tied = s.cuts.filter((i) => worst(i) === best);
  const first = tied[0];
  const last = tied[tied.length - 1];
  const lo = first === 0 ? s.between(0) : s.sorted[first - 1].distance;
  const hi = last === s.sorted.length ? s.between(last) : s.sorted[last].distance;
  const distance = (lo + hi) / 2;
  return { distance, ...pointAt(pairs, distance) };
}

/** FAR, FRR and accuracy when pairs at or below `distance` are accepted as the same person. */
export function pointAt(pairs: readonly PairDistance[], distance: number): Omit<ThresholdPoint, 'distance'> {
  let sameIn = 0;
  let diffIn = 0;
  let nSame = 0;
  for (const p of pairs) {
    if (p.same) nSame++;
    if (p.distance <= distance) {
      if (p.same) sameIn++;
      else diffIn++;
    }
  }
  const nDiff = pairs.length - nSame;
  return {
    far: nDiff ? diffIn / nDiff : 0,
    frr: nSame ? (nSame - sameIn) / nSame : 0,
    accuracy: (sameIn + nDiff - diffIn) / pairs.length,
  };
}

/**
 * The distance threshold with the best accuracy (the LFW protocol: choose on train, apply to test). Ties go to
 * the middle of the tied cuts; the threshold sits halfway between neighbouring distances.
 */
export function bestAccuracyThreshold(pairs: readonly PairDistance[]): ThresholdPoint {
  const s = sweep(pairs);
  const best = Math.max(...s.cuts.map((i) => s.point(i).accuracy));
  const tied = s.cuts.filter((i) => s.point(i).accuracy === best);
  const distance = s.between(tied[Math.floor((tied.length - 1) / 2)]);
  return { distance, ...pointAt(pairs, distance) };
}

/**
 * Fits CompreFace's similarity (tanh((c0 - d)·c1) + 1) / 2 = sigmoid(2·c1·(c0 - d)): c0 is the equal-error
 * distance, so 0.5 means "as likely the same person as not" on balanced pairs, and c1 maximises the
 * class-balanced log-likelihood of same/different given d (a one-parameter logistic regression, by Newton's
 * method). A weak ridge keeps c1 finite when the classes separate perfectly.
 */
export function fitCalibration(pairs: readonly PairDistance[], ridge = 1e-8): CalibrationFit {
  const eer = equalErrorPoint(pairs);
  const c0 = eer.distance;
  const nSame = pairs.filter((p) => p.same).length;
  const weight = (p: PairDistance) => 0.5 / (p.same ? nSame : pairs.length - nSame);
  // k = 2·c1; per pair x = c0 - d, y = ±1; loss = Σ w·log(1 + exp(-y·k·x)) + ridge·k²/2.
  let k = 1;
  for (let iter = 0; iter < 100; iter++) {
    let grad = ridge * k;
    let hess = ridge;
    for (const p of pairs) {
      const x = c0 - p.distance;
      const y = p.same ? 1 : -1;
      const m = y * k * x;
      const sig = 1 / (1 + Math.exp(m)); // = sigmoid(-m)
      grad -= weight(p) * y * x * sig;
      hess += weight(p) * x * x * sig * (1 - sig);
    }
    const step = grad / hess;
    // Damped Newton: never more than doubling or halving k per iteration, and k stays positive.
    k = Math.min(2 * k, Math.max(k / 2, k - step));
    if (Math.abs(step) < 1e-9 * Math.max(1, k)) break;
  }
  return { c0, c1: k / 2, equalErrorRate: (eer.far + eer.frr) / 2 };
}

/** FAR and FRR when pairs whose calibrated similarity is at least each threshold are accepted. */
export function operatingPoints(
  pairs: readonly PairDistance[],
  calibration: Calibration,
  thresholds: readonly number[] = [0.5, 0.7, 0.9],
): OperatingPoint[] {
  return thresholds.map((similarity) => {
    let sameOut = 0;
    let diffIn = 0;
    let nSame = 0;
    for (const p of pairs) {
      const accept = calibratedSimilarity(p.distance, calibration) >= similarity;
      if (p.same) {
        nSame++;
        if (!accept) sameOut++;
      } else if (accept) diffIn++;
    }
    const nDiff = pairs.length - nSame;
    const distance = calibration.c0 - Math.atanh(2 * similarity - 1) / calibration.c1;
    return { similarity, distance, far: nDiff ? diffIn / nDiff : 0, frr: nSame ? sameOut / nSame : 0 };
  });
}
