// The harness's small helpers: pair sampling for --limit and table layout.
import { describe, expect, it } from 'vitest';
import { spread } from './lfw.js';
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
