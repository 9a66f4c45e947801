// The string keys of a VectorIndex held compactly, since a million examples make every byte per row a megabyte:
// - IdSlots finds an example's slot from its id: an open-addressing table of slots (4 bytes each, at most half
//   full) whose keys are the index's own `ids` array, instead of a Map (about 29 bytes a row);
// - Interned numbers the subject ids, so that a row holds a 4-byte number and the examples of one subject share
//   one string (each row's own string and array entry cost about 34 bytes).

const EMPTY = -1;

/** FNV-1a over the UTF-16 code units, then mixed (murmur3's finaliser) so that low bits vary. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** id → slot, where `ids[slot]` is the id (the caller's array, read for every comparison). Linear probing. */
export class IdSlots {
  private table = new Int32Array(16).fill(EMPTY);
  private count = 0;

  constructor(private readonly ids: readonly string[]) {}

  get(id: string): number | undefined {
    const at = this.find(id);
    return at < 0 ? undefined : this.table[at];
  }

  /** Adds `id` (not present, already at `ids[slot]`). */
  add(id: string, slot: number): void {
    if (2 * (this.count + 1) > this.table.length) this.rehash(2 * this.table.length);
    this.table[this.free(id)] = slot;
    this.count++;
  }

  /** Records that `id` (still at `ids[from]` or already at `ids[to]`) moves from slot `from` to `to`. */
  move(id: string, from: number, to: number): void {
    const mask = this.table.length - 1;
    let at = hash(id) & mask;
    while (this.table[at] !== from) at = (at + 1) & mask;
    this.table[at] = to;
  }

  /** Forgets `id` (still at its slot in `ids`). */
  delete(id: string): void {
    const mask = this.table.length - 1;
    let hole = this.find(id);
    if (hole < 0) return;
    this.table[hole] = EMPTY;
    this.count--;
    // backward shift: entries after the hole that may not sit beyond it move into it
    for (let at = (hole + 1) & mask; this.table[at] !== EMPTY; at = (at + 1) & mask) {
      const home = hash(this.ids[this.table[at]]) & mask;
      if (((at - home) & mask) >= ((at - hole) & mask)) {
        this.table[hole] = this.table[at];
        this.table[at] = EMPTY;
        hole = at;
      }
    }
    if (this.table.length > 16 && 8 * this.count < this.table.length) this.rehash(this.table.length / 2);
  }

  clear(): void {
    this.table = new Int32Array(16).fill(EMPTY);
    this.count = 0;
  }

  /** The table index holding `id`, or -1. */
  private find(id: string): number {
    const mask = this.table.length - 1;
    for (let at = hash(id) & mask; this.table[at] !== EMPTY; at = (at + 1) & mask)
      if (this.ids[this.table[at]] === id) return at;
    return -1;
  }

  /** The first empty table index on `id`'s probe sequence. */
  private free(id: string): number {
    const mask = this.table.length - 1;
    let at = hash(id) & mask;
    while (this.table[at] !== EMPTY) at = (at + 1) & mask;
    return at;
  }

  private rehash(size: number): void {
    const old = this.table;
    this.table = new Int32Array(size).fill(EMPTY);
    for (const slot of old) if (slot !== EMPTY) this.table[this.free(this.ids[slot])] = slot;
  }
}

/** Strings by number, each counted by its uses; a number is reused once its string has none. */
export class Interned {
  private readonly numbers = new Map<string, number>();
  private names: string[] = [];
  private uses: number[] = [];
  private unused: number[] = [];

  /** The number of `name`, counting one more use. */
  acquire(name: string): number {
    let n = this.numbers.get(name);
    if (n === undefined) {
      n = this.unused.pop() ?? this.names.length;
      this.numbers.set(name, n);
      this.names[n] = name;
      this.uses[n] = 0;
    }
    this.uses[n]++;
    return n;
  }

  /** One use of `n` fewer; its string is forgotten at none. */
  release(n: number): void {
    if (--this.uses[n] > 0) return;
    this.numbers.delete(this.names[n]);
    this.names[n] = '';
    this.unused.push(n);
  }

  name(n: number): string {
    return this.names[n];
  }

  numberOf(name: string): number | undefined {
    return this.numbers.get(name);
  }

  clear(): void {
    this.numbers.clear();
    this.names = [];
    this.uses = [];
    this.unused = [];
  }
}
