// Synthetic PNGs for decoder limits: a header that claims any size, with a token body or real (all-zero) rows.
import { crc32, deflateSync } from 'node:zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** A zlib stream of nothing: libspng wants an IDAT before it reports the header. */
const TOKEN_IDAT = Buffer.from([0x78, 0x9c, 0x03, 0, 0, 0, 0, 1]);

/** One PNG chunk: length, type, data, CRC-32 of type + data. */
export function pngChunk(type: string, data: Buffer): Buffer {
  const c = Buffer.alloc(12 + data.length);
  c.writeUInt32BE(data.length, 0);
  c.write(type, 4);
  data.copy(c, 8);
  c.writeUInt32BE(crc32(c.subarray(4, 8 + data.length)), 8 + data.length);
  return c;
}

export interface SyntheticPngOptions {
  /** PNG colour type with 8-bit samples: 0 greyscale (default) or 2 RGB. */
  colourType?: 0 | 2;
  /** Deflate real all-zero rows (a valid image that decodes) instead of a token body (only the header is valid). */
  rows?: boolean;
}

/** A PNG whose valid IHDR claims `width` x `height` pixels. */
export function syntheticPng(
  width: number,
  height: number,
  { colourType = 0, rows = false }: SyntheticPngOptions = {},
): Uint8Array<ArrayBuffer> {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, colourType, 0, 0, 0], 8);
  const rowBytes = 1 + width * (colourType === 2 ? 3 : 1); // filter byte + samples
  const idat = rows ? deflateSync(Buffer.alloc(height * rowBytes), { level: 9 }) : TOKEN_IDAT;
  return new Uint8Array(
    Buffer.concat([
      SIGNATURE,
      pngChunk('IHDR', ihdr),
      pngChunk('IDAT', idat),
      pngChunk('IEND', Buffer.alloc(0)),
    ]),
  );
}

/** A greyscale PNG of 1 x `height` pixels with real all-zero rows: 78 KB for 39,999,999 rows. */
export function tallPng(height: number): Uint8Array<ArrayBuffer> {
  return syntheticPng(1, height, { rows: true });
}
