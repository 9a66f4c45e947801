// The exact float vectors of a quantised VectorIndex, kept out of the heap in a temporary file (slot · dim · 4
// bytes each) that the operating system caches while memory allows: the re-rank reads a few dozen rows per query.
// The file is unlinked as soon as it is opened, so nothing is left behind, not even after a crash; the descriptor
// is closed by `close()` or, as a backstop, when the index is garbage-collected.
import { randomUUID } from 'node:crypto';
import { closeSync, ftruncateSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const unclosed = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
});

export class FloatFile {
  private fd: number;
  private readonly rowBytes: number;
  private readonly token = {};

  constructor(
    private readonly dim: number,
    dir = tmpdir(),
  ) {
    this.rowBytes = dim * 4;
    const path = join(dir, `visor-vectors-${randomUUID()}.f32`);
    this.fd = openSync(path, 'w+', 0o600);
    try {
      unlinkSync(path);
    } catch {
      // Windows cannot unlink an open file; it is a temporary file all the same
    }
    unclosed.register(this, this.fd, this.token);
  }

  /** Writes `rows` consecutive rows (dim floats each) from `slot` on. */
  write(slot: number, rows: Float32Array): void {
    const bytes = new Uint8Array(rows.buffer, rows.byteOffset, rows.length * 4);
    for (let done = 0; done < bytes.length;)
      done += writeSync(this.fd, bytes, done, bytes.length - done, slot * this.rowBytes + done);
  }

  /** Reads `count` rows from `slot` on into `out` (count · dim floats). */
  read(slot: number, out: Float32Array, count = 1): Float32Array {
    const bytes = new Uint8Array(out.buffer, out.byteOffset, count * this.rowBytes);
    for (let done = 0; done < bytes.length;) {
      const n = readSync(this.fd, bytes, done, bytes.length - done, slot * this.rowBytes + done);
      if (n === 0) throw new Error(`vector file: row ${slot} is beyond its end`);
      done += n;
    }
    return out;
  }

  /** Copies row `from` over row `to`. */
  move(from: number, to: number): void {
    this.write(to, this.read(from, new Float32Array(this.dim)));
  }

  /** Drops the rows from `rows` on. */
  truncate(rows: number): void {
    ftruncateSync(this.fd, rows * this.rowBytes);
  }

  close(): void {
    if (this.fd < 0) return;
    unclosed.unregister(this.token);
    closeSync(this.fd);
    this.fd = -1;
  }
}
