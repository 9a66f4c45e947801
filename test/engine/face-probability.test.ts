// The face-probability map (issue 13 item 1): monotonic, inverse of rawScoreFor, anchored so that CompreFace's
// usual det_prob_threshold 0.8 is Visor's best raw threshold and the default, and clear faces score ≥ 0.99.
import { describe, expect, it } from 'vitest';
import { DEFAULT_DETECTOR_SETTINGS } from '../../shared/engine/detector.js';
import {
  FACE_PROBABILITY,
  faceProbability,
  fitFaceProbability,
  rawScoreFor,
  roundProbability,
} from '../../shared/engine/face-probability.js';

describe('face probability', () => {
  it('is monotonic from 0 to 1 and rawScoreFor inverts it', () => {
    let last = -1;
    for (let raw = 0; raw <= 1.0000001; raw += 0.01) {
      const p = faceProbability(raw);
      expect(p).toBeGreaterThan(last);
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(1);
      if (raw > 0.001 && raw < 0.999) expect(rawScoreFor(p)).toBeCloseTo(raw, 9);
      last = p;
    }
    expect([faceProbability(0), faceProbability(1), rawScoreFor(0), rawScoreFor(1)]).toEqual([0, 1, 0, 1]);
  });

  it("puts Visor's best raw threshold at CompreFace's 0.8, which is also the default threshold", () => {
    expect(faceProbability(FACE_PROBABILITY.anchorRaw)).toBeCloseTo(0.8, 12);
    expect(rawScoreFor(0.8)).toBeCloseTo(FACE_PROBABILITY.anchorRaw, 12);
    expect(DEFAULT_DETECTOR_SETTINGS.threshold).toBe(0.8);
  });

  it('lifts the lowest raw score of a clear face (0.801, 005_A.jpg) to 0.99 or more', () => {
    expect(faceProbability(0.801)).toBeGreaterThanOrEqual(0.99);
    expect(faceProbability(0.3)).toBeLessThan(0.5);
  });

  it('fits the smallest slope that reaches the clear-face probability', () => {
    const m = fitFaceProbability({
      bestRaw: 0.5,
      anchorProbability: 0.8,
      clearFaces: [0.95, 0.801, 0.9],
      clearProbability: 0.99,
    });
    expect(faceProbability(0.801, m)).toBeCloseTo(0.99, 9);
    expect(m.slope).toBeLessThanOrEqual(FACE_PROBABILITY.slope);
    expect(() =>
      fitFaceProbability({ bestRaw: 0.5, anchorProbability: 0.8, clearFaces: [0.4], clearProbability: 0.99 }),
    ).toThrow(RangeError);
  });

  it('rounds to 5 decimals as CompreFace does', () => {
    expect(roundProbability(0.9999949)).toBe(0.99999);
    expect(roundProbability(0.123456789)).toBe(0.12346);
  });
});
