// Where every search kernel keeps its rows (float rows, int8 rows with a scale each, sign codes): `stride` values
// per slot, optionally one f32 per slot beside them (`extra`, the int8 scales). The kernels extend one of two
// stores, which differ only in what holds the bytes:
// - JsRows: typed arrays (the plain-JS kernels); the buffer doubles when it must grow, so small steps stay cheap;
// - WasmRows: one WebAssembly memory that the SIMD kernels' instances scan in place, laid out as
//   [candidate slots: BLOCK i32][candidate values: BLOCK × 4 bytes][query][rows…][extra…], every part 64-byte
//   aligned. It grows in place to the pages needed (the extra values move behind the new rows) and is replaced,
//   and copied, only to shrink.

export const PAGE = 65536;
/** Rows per call into wasm; the candidate arrays hold a whole block (the first block offers every row). */
export const BLOCK = 8192;

type RowArray = Float32Array | Int8Array | Uint8Array;

/** A typed array's constructor (Float32Array, Int8Array, Uint8Array). */
export interface RowType<T extends RowArray> {
  new (length: number): T;
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): T;
  readonly BYTES_PER_ELEMENT: number;
}

const align64 = (n: number) => Math.ceil(n / 64) * 64;

const modules = new Map<Uint8Array<ArrayBuffer>, WebAssembly.Module | null>();

/** The compiled module of `bytes`, or null where this runtime lacks WebAssembly SIMD (checked once per module). */
export function compiled(bytes: Uint8Array<ArrayBuffer>): WebAssembly.Module | null {
  let module = modules.get(bytes);
  if (module === undefined) {
    try {
      module = WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
    } catch {
      module = null;
    }
    modules.set(bytes, module);
  }
  return module;
}

/** What both stores share: the views and the row operations over them. */
abstract class Rows<T extends RowArray> {
  /** The rows, capacity × stride values; a fresh view after every `resize`. */
  data!: T;
  /** One f32 per row when asked for (else empty); a fresh view after every `resize`. */
  extra!: Float32Array;
  capacity = 0;

  constructor(
    protected readonly type: RowType<T>,
    /** Values per row. */
    readonly stride: number,
    protected readonly withExtra: boolean,
  ) {}

  /** Makes room for `capacity` rows, keeping the first ones. */
  abstract resize(capacity: number): void;

  /** Row `slot` (a view). */
  row(slot: number): T {
    return this.data.subarray(slot * this.stride, (slot + 1) * this.stride) as T;
  }

  /** Copies row `from` (and its extra value) over row `to`. */
  move(from: number, to: number): void {
    this.data.copyWithin(to * this.stride, from * this.stride, (from + 1) * this.stride);
    if (this.withExtra) this.extra[to] = this.extra[from];
  }
}

/** Rows in typed arrays with room to grow: the buffer doubles when it must grow and is replaced to shrink. */
export abstract class JsRows<T extends RowArray> extends Rows<T> {
  private buffer: T;
  private extraBuffer: Float32Array;

  constructor(type: RowType<T>, stride: number, capacity: number, withExtra = false) {
    super(type, stride, withExtra);
    this.buffer = new type(capacity * stride);
    this.extraBuffer = new Float32Array(withExtra ? capacity : 0);
    this.view(capacity);
  }

  private get room(): number {
    return this.buffer.length / this.stride;
  }

  private view(capacity: number): void {
    this.capacity = capacity;
    this.data = this.buffer.subarray(0, capacity * this.stride) as T;
    this.extra = this.extraBuffer.subarray(0, this.withExtra ? capacity : 0);
  }

  resize(capacity: number): void {
    if (capacity > this.room || capacity < this.capacity) {
      const room = capacity > this.room ? Math.max(capacity, 2 * this.room) : capacity;
      const kept = Math.min(this.capacity, capacity);
      this.buffer = new this.type(room * this.stride);
      this.buffer.set(this.data.subarray(0, kept * this.stride));
      this.extraBuffer = new Float32Array(this.withExtra ? room : 0);
      this.extraBuffer.set(this.extra.subarray(0, this.withExtra ? kept : 0));
    }
    this.view(capacity);
  }
}

/** Rows in a WebAssembly memory shared with instances of the kernels' modules (layout above). */
export abstract class WasmRows<T extends RowArray> extends Rows<T> {
  /** Where the query goes (after the candidate slots and values). */
  protected readonly queryAt = BLOCK * 8;
  /** Where row 0 starts. */
  protected readonly dataAt: number;
  protected memory!: WebAssembly.Memory;
  /** The exported functions of every module's instance over `memory` (fresh after a shrink). */
  protected exports!: Record<string, unknown>;
  private readonly rowBytes: number;

  constructor(
    private readonly modules: WebAssembly.Module[],
    type: RowType<T>,
    stride: number,
    queryBytes: number,
    capacity: number,
    withExtra = false,
  ) {
    super(type, stride, withExtra);
    this.rowBytes = stride * type.BYTES_PER_ELEMENT;
    this.dataAt = this.queryAt + align64(queryBytes);
    this.allocate(capacity);
  }

  /** Where the extra values start at `capacity` rows. */
  protected extraAt(capacity: number): number {
    return align64(this.dataAt + capacity * this.rowBytes);
  }

  /** Where row `slot` starts. */
  protected rowAt(slot: number): number {
    return this.dataAt + slot * this.rowBytes;
  }

  private pagesFor(capacity: number): number {
    return Math.ceil((this.extraAt(capacity) + (this.withExtra ? capacity * 4 : 0)) / PAGE);
  }

  private allocate(capacity: number): void {
    this.memory = new WebAssembly.Memory({ initial: this.pagesFor(capacity) });
    const imports = { env: { memory: this.memory } };
    this.exports = Object.assign(
      {},
      ...this.modules.map((m) => new WebAssembly.Instance(m, imports).exports),
    ) as Record<string, unknown>;
    this.view(capacity);
  }

  private view(capacity: number): void {
    this.capacity = capacity;
    const { buffer } = this.memory;
    this.data = new this.type(buffer, this.dataAt, capacity * this.stride);
    this.extra = new Float32Array(buffer, this.extraAt(capacity), this.withExtra ? capacity : 0);
  }

  resize(capacity: number): void {
    const kept = Math.min(this.capacity, capacity);
    if (capacity < this.capacity) {
      const data = this.data.slice(0, kept * this.stride);
      const extra = this.extra.slice(0, kept);
      this.allocate(capacity);
      this.data.set(data);
      this.extra.set(extra);
      return;
    }
    const pages = this.pagesFor(capacity) - this.memory.buffer.byteLength / PAGE;
    if (pages > 0) this.memory.grow(pages);
    const from = this.extraAt(this.capacity);
    if (this.withExtra)
      new Uint8Array(this.memory.buffer).copyWithin(this.extraAt(capacity), from, from + kept * 4);
    this.view(capacity);
  }
}
