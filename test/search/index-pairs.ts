// Index pairs for the quantised and staged tests: the exact index, which stays the reference, beside the one under
// test, filled alike.
import { expect } from 'vitest';
import { normalize, VectorIndex, type VectorIndexOptions } from '../../server/src/search/vector-index.js';
import { faces } from './face-like.js';
import { randomUnit, rng } from './random.js';

/**
 * The exact index holding 16,000 rows of `dim`: 800 face-like people with 5 photos each, then random fill (as the
 * benchmark's million); `held`: one more photo of each person; `fill(index)` adds the same rows, in the same order,
 * to an index under test and returns it.
 */
export function faceReference(dim: number) {
  const next = rng(7);
  const { rows, held } = faces(next, dim, 800, 5);
  const exact = new VectorIndex(dim, { quantiseFrom: 0 });
  const all = Array.from({ length: 16_000 }, (_, i) => rows[i] ?? { person: -1, v: randomUnit(next, dim) });
  const fill = (index: VectorIndex) => {
    all.forEach(({ person, v }, i) => index.add(`e${i}`, `p${person}`, v));
    return index;
  };
  return { exact: fill(exact), held, fill };
}

/** The exact index and one made with `options` (minCapacity 8), kept in step with the live vectors by add/remove. */
export function inStep(dim: number, options: VectorIndexOptions) {
  const reference = new VectorIndex(dim, { quantiseFrom: 0, minCapacity: 8 });
  const index = new VectorIndex(dim, { minCapacity: 8, ...options });
  const live = new Map<string, Float32Array>();
  const add = (id: string, v: Float32Array) => {
    reference.add(id, `s${id.length}`, v);
    index.add(id, `s${id.length}`, v);
    live.set(id, normalize(v));
  };
  const remove = (id: string) => {
    expect(index.remove(id)).toBe(reference.remove(id));
    live.delete(id);
  };
  return { reference, index, live, add, remove };
}
