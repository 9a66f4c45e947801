// The nose rule's matching: containment, one nose per box, one box per nose, best assignment.
import { describe, expect, it } from 'vitest';
import { matchNoses, type Box } from './noses.js';

const box = (x_min: number, y_min: number, x_max: number, y_max: number): Box => ({
  x_min,
  y_min,
  x_max,
  y_max,
});

describe('matchNoses', () => {
  it('counts found, missed noses and false boxes', () => {
    const r = matchNoses(
      [
        [10, 10],
        [50, 50],
      ],
      [box(0, 0, 20, 20), box(100, 100, 120, 120)],
    );
    expect(r).toEqual({ found: 1, missed: [[50, 50]], falseBoxes: [box(100, 100, 120, 120)] });
  });

  it('lets a box claim only one nose, and counts points on the edge as inside', () => {
    const r = matchNoses(
      [
        [5, 5],
        [20, 20],
      ],
      [box(0, 0, 20, 20)],
    );
    expect(r.found).toBe(1);
    expect(r.missed).toHaveLength(1);
    expect(r.falseBoxes).toEqual([]);
  });

  it('finds the assignment a greedy match would miss', () => {
    // Nose A is in both boxes, nose B only in the first: greedy A→first leaves B unmatched.
    const r = matchNoses(
      [
        [15, 15],
        [5, 5],
      ],
      [box(0, 0, 20, 20), box(10, 10, 30, 30)],
    );
    expect(r).toEqual({ found: 2, missed: [], falseBoxes: [] });
  });

  it('reports every box as false when there is no face', () => {
    expect(matchNoses([], [box(0, 0, 1, 1)]).falseBoxes).toHaveLength(1);
    expect(matchNoses([], [])).toEqual({ found: 0, missed: [], falseBoxes: [] });
  });
});
