// The box-annotated scoring: one-to-one matching at IoU ≥ 0.3 or the face's centre inside the box; hard faces
// count neither way.
import { describe, expect, it } from 'vitest';
import { matchBoxes, type XYWH } from './boxes.js';
import type { Box } from './noses.js';

const box = (x_min: number, y_min: number, x_max: number, y_max: number): Box => ({
  x_min,
  y_min,
  x_max,
  y_max,
});

describe('matchBoxes', () => {
  const faces: XYWH[] = [
    [0, 0, 100, 100],
    [200, 0, 100, 100],
  ];

  it('matches by centre or IoU, one detection per face', () => {
    // centre (50, 50) inside; the second face overlaps at IoU 0.48 without containing its centre (250, 50)
    const r = matchBoxes(faces, [], [box(40, 40, 60, 60), box(252, 0, 300, 100), box(0, 0, 100, 100)]);
    expect(r.found).toBe(2);
    expect(r.missed).toEqual([]);
    expect(r.falseBoxes).toEqual([box(0, 0, 100, 100)]);
  });

  it('counts a box that matches nothing as false and a face without a box as missed', () => {
    const r = matchBoxes(faces, [], [box(500, 500, 600, 600)]);
    expect(r).toMatchObject({ faces: 2, found: 0, missed: faces, falseBoxes: [box(500, 500, 600, 600)] });
  });

  it('neither rewards nor penalises hard faces, and credits a required face first', () => {
    const hard: XYWH[] = [[400, 0, 20, 20]];
    const r = matchBoxes(faces, hard, [box(400, 0, 420, 20), box(0, 0, 100, 100)]);
    expect(r).toMatchObject({ found: 1, hard: 1, hardFound: 1, falseBoxes: [] });
    // a box covering both a required and a hard face counts for the required one
    const both = matchBoxes([[0, 0, 20, 20]], [[5, 5, 10, 10]], [box(0, 0, 20, 20)]);
    expect(both).toMatchObject({ found: 1, hardFound: 0, falseBoxes: [] });
  });

  it('refuses a low-overlap box whose area misses the centre', () => {
    const r = matchBoxes([[0, 0, 100, 100]], [], [box(80, 80, 200, 200)]);
    expect(r.found).toBe(0);
  });
});
