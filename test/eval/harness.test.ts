// The harness's small helpers: pair sampling for --limit and table layout.
import { describe, expect, it } from 'vitest';
import type { FaceAnalysis } from '../../shared/engine/types.js';
import { centralFace, spread } from './lfw.js';
import { pct, table } from './table.js';

describe('spread', () => {
  it('keeps both classes of a list sorted same-first', () => {
    const pairs = Array.from({ length: 2200 }, (_, i) => ({ same: i < 1100 }));
    const picked = spread(pairs, 40);
    expect(picked).toHaveLength(40);
    expect(picked.filter((p) => p.same)).toHaveLength(20);
  });

  it('returns everything for no limit or a limit beyond the list', () => {
    expect(spread([1, 2, 3])).toEqual([1, 2, 3]);
    expect(spread([1, 2, 3], 10)).toEqual([1, 2, 3]);
  });
});

describe('centralFace', () => {
  const face = (x_min: number, y_min: number, side: number): FaceAnalysis => ({
    box: { probability: 0.9, x_min, y_min, x_max: x_min + side, y_max: y_min + side },
    landmarks: [],
    execution_time: {},
  });
  it("picks the face nearest the photo's centre, not the biggest", () => {
    const [big, centred] = [face(0, 0, 80), face(50, 55, 50)];
    const result = { faces: [big, centred], execution_time: {}, width: 150, height: 150 };
    expect(centralFace(result)).toBe(centred);
    expect(centralFace({ ...result, faces: [] })).toBeUndefined();
  });
});

describe('table', () => {
  it('aligns the first column left and the others right', () => {
    expect(
      table(
        ['name', 'n'],
        [
          ['a', 10],
          ['bbb', pct(0.5)],
        ],
      ),
    ).toBe(['name       n', '----  ------', 'a         10', 'bbb   50.00%'].join('\n'));
  });
});
