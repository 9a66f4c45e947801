// The compact keys of VectorIndex against the plain structures they replace: a Map of id → slot kept in step with
// swap-removes, and subject ids counted by use.
import { describe, expect, it } from 'vitest';
import { IdSlots, Interned } from '../../server/src/search/keys.js';
import { rng } from './random.js';

describe('IdSlots', () => {
  it('finds every slot as a Map does through adds, swap-removes, growth and shrinking', () => {
    const next = rng(11);
    const ids: string[] = [];
    const slots = new IdSlots(ids);
    const reference = new Map<string, number>();
    const add = (id: string) => {
      ids.push(id);
      slots.add(id, ids.length - 1);
      reference.set(id, ids.length - 1);
    };
    const remove = (id: string) => {
      const slot = reference.get(id)!;
      const last = ids.length - 1;
      slots.delete(id);
      reference.delete(id);
      if (slot !== last) {
        slots.move(ids[last], last, slot);
        ids[slot] = ids[last];
        reference.set(ids[slot], slot);
      }
      ids.pop();
    };
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 5000; i++) add(`r${round}-${i}-${Math.floor(next() * 1e9)}`);
      for (const id of [...reference.keys()]) if (next() < 0.9) remove(id);
      for (const [id, slot] of reference) expect(slots.get(id)).toBe(slot);
      expect(slots.get(`r${round}-missing`)).toBeUndefined();
    }
    for (const id of [...reference.keys()]) remove(id);
    for (let i = 0; i < 100; i++) expect(slots.get(`r0-${i}`)).toBeUndefined();
    add('again');
    expect(slots.get('again')).toBe(0);
  });
});

describe('Interned', () => {
  it('numbers strings by use and reuses a number once its string has no use left', () => {
    const names = new Interned();
    const a = names.acquire('alice');
    expect(names.acquire('alice')).toBe(a);
    const b = names.acquire('bob');
    expect(b).not.toBe(a);
    expect(names.name(b)).toBe('bob');
    names.release(a);
    expect(names.numberOf('alice')).toBe(a);
    names.release(a);
    expect(names.numberOf('alice')).toBeUndefined();
    expect(names.acquire('carol')).toBe(a);
    expect(names.name(a)).toBe('carol');
  });
});
