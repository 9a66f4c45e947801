// The calibration fit on synthetic distance lists whose equal-error point, slope and operating points are known.
import { describe, expect, it } from 'vitest';
import {
  bestAccuracyThreshold,
  calibrationFor,
  equalErrorPoint,
  fitCalibration,
  operatingPoints,
  pointAt,
  type PairDistance,
} from '../../shared/engine/calibration.js';
import { calibratedSimilarity } from '../../shared/engine/similarity.js';

const pairs = (same: number[], diff: number[]): PairDistance[] => [
  ...same.map((distance) => ({ distance, same: true })),
  ...diff.map((distance) => ({ distance, same: false })),
];

/** Deterministic normal samples (mulberry32 + Box-Muller). */
function normals(n: number, mean: number, sd: number, seed: number): number[] {
  let a = seed;
  const rand = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Array.from(
    { length: n },
    () => mean + sd * Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand()),
  );
}

describe('equalErrorPoint', () => {
  it('is halfway across the gap when the classes separate', () => {
    const p = equalErrorPoint(pairs([0.2, 0.3, 0.5], [0.9, 1.0, 1.2]));
    expect(p.distance).toBeCloseTo(0.7, 12);
    expect(p).toMatchObject({ far: 0, frr: 0, accuracy: 1 });
  });

  it('finds the crossing of FAR and FRR on overlapping lists', () => {
    // Sorted: .1s .2s .3s .4s .5d .6s .7d .8d .9d 1.0d: one error each side of 0.55 whichever cut is taken.
    const p = equalErrorPoint(pairs([0.1, 0.2, 0.3, 0.4, 0.6], [0.5, 0.7, 0.8, 0.9, 1.0]));
    expect(p.distance).toBeCloseTo(0.55, 12);
    expect(p.far).toBeCloseTo(0.2, 12);
    expect(p.frr).toBeCloseTo(0.2, 12);
  });

  it('sits at the midpoint of two equal-variance normals', () => {
    const p = equalErrorPoint(pairs(normals(4000, 0.6, 0.1, 1), normals(4000, 1.2, 0.1, 2)));
    expect(p.distance).toBeCloseTo(0.9, 1);
    // Φ(-3) = 0.00135 on each side.
    expect(p.far).toBeCloseTo(0.00135, 2);
  });

  it('rejects lists without both classes or with non-finite distances', () => {
    expect(() => equalErrorPoint(pairs([0.1], []))).toThrow(RangeError);
    expect(() => equalErrorPoint(pairs([], [0.1]))).toThrow(RangeError);
    expect(() => equalErrorPoint(pairs([NaN], [0.1]))).toThrow(RangeError);
  });
});

describe('bestAccuracyThreshold and pointAt', () => {
  it('picks the cut with the most correct pairs', () => {
    const p = bestAccuracyThreshold(pairs([0.1, 0.2, 0.3, 0.5, 0.55], [0.4, 0.7, 0.8, 0.9]));
    expect(p.distance).toBeCloseTo(0.625, 12);
    expect(p.accuracy).toBeCloseTo(8 / 9, 12);
    expect(p).toMatchObject({ far: 0.25, frr: 0 });
  });

  it('counts distances equal to the threshold as accepted', () => {
    expect(pointAt(pairs([0.5], [0.5]), 0.5)).toEqual({ far: 1, frr: 0, accuracy: 0.5 });
    expect(pointAt(pairs([0.5], [0.5]), 0.49)).toEqual({ far: 0, frr: 1, accuracy: 0.5 });
  });
});

describe('fitCalibration', () => {
  it('recovers the true posterior of two equal-variance normals', () => {
    // log-odds(same | d) = (μd - μs)/σ² · (midpoint - d) = 20·(0.9 - d) = 2·c1·(c0 - d): c0 = 0.9, c1 = 10.
    const fit = fitCalibration(pairs(normals(5000, 0.8, 0.1, 3), normals(5000, 1.0, 0.1, 4)));
    expect(fit.c0).toBeCloseTo(0.9, 2);
    expect(fit.c1).toBeGreaterThan(10 * 0.95);
    expect(fit.c1).toBeLessThan(10 * 1.05);
    // Φ(-1): the classes overlap by one standard deviation either side.
    expect(fit.equalErrorRate).toBeCloseTo(0.1587, 2);
    expect(calibratedSimilarity(fit.c0, fit)).toBe(0.5);
  });

  it('is unaffected by class imbalance', () => {
    const fit = fitCalibration(pairs(normals(1000, 0.8, 0.1, 5), normals(9000, 1.0, 0.1, 6)));
    expect(fit.c0).toBeCloseTo(0.9, 1);
    expect(fit.c1).toBeGreaterThan(10 * 0.9);
    expect(fit.c1).toBeLessThan(10 * 1.1);
  });

  it('stays finite and steep when the classes separate perfectly', () => {
    const fit = fitCalibration(pairs([0.2, 0.3, 0.5], [0.9, 1.0, 1.2]));
    expect(fit.c0).toBeCloseTo(0.7, 12);
    expect(Number.isFinite(fit.c1)).toBe(true);
    expect(fit.c1).toBeGreaterThan(10);
    expect(calibratedSimilarity(0.5, fit)).toBeGreaterThan(0.97);
    expect(calibratedSimilarity(0.9, fit)).toBeLessThan(0.03);
  });
});

describe('operatingPoints', () => {
  const data = pairs(normals(3000, 0.6, 0.1, 7), normals(3000, 1.2, 0.1, 8));
  const cal = { c0: 0.9, c1: 30 };

  it('maps each similarity threshold to its distance and error rates', () => {
    const points = operatingPoints(data, cal);
    expect(points.map((p) => p.similarity)).toEqual([0.5, 0.7, 0.9]);
    expect(points[0].distance).toBeCloseTo(0.9, 12);
    // similarity 0.9: tanh((c0 - d)·c1) = 0.8 → d = c0 - atanh(0.8)/c1.
    expect(points[2].distance).toBeCloseTo(0.9 - Math.atanh(0.8) / 30, 12);
    for (const p of points) {
      const at = pointAt(data, p.distance);
      expect(p.far).toBeCloseTo(at.far, 3);
      expect(p.frr).toBeCloseTo(at.frr, 3);
    }
    // A stricter threshold accepts fewer strangers and rejects more of the same person.
    expect(points[2].far).toBeLessThanOrEqual(points[0].far);
    expect(points[2].frr).toBeGreaterThan(points[0].frr);
    // Normal tails: FRR at d = 0.9 - atanh(0.8)/30 ≈ 0.8634 is Φ(-2.634) ≈ 0.0042.
    expect(points[2].frr).toBeCloseTo(0.0042, 2);
  });
});

describe('CALIBRATIONS', () => {
  it('names a calibration per embedder and refuses unknown ones', () => {
    expect(calibrationFor('faceapi-recognition').c0).toBeGreaterThan(0);
    expect(() => calibrationFor('nope')).toThrow(RangeError);
  });
});
