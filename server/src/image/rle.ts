// BMP run-length decoding (BI_RLE8, BI_RLE4) into palette indices; rows in file order (bottom row first).
import { corrupt } from './limits.js';

/**
 * Expands RLE data starting at `start` into one palette index per pixel. Pixels skipped by a delta escape, or
 * left when the data ends early without an end-of-bitmap marker, keep index 0 (as Windows draws them).
 */
export function decodeRle(
  bytes: Uint8Array,
  start: number,
  width: number,
  height: number,
  rle4: boolean,
): Uint8Array {
  const out = new Uint8Array(width * height);
  let x = 0;
  let y = 0;
  let p = start;
  const put = (v: number) => {
    if (x < width && y < height) out[y * width + x] = v;
    x++;
  };
  while (p + 1 < bytes.length && y < height) {
    const n = bytes[p];
    const c = bytes[p + 1];
    p += 2;
    if (n > 0) {
      // Encoded run: n pixels of c (RLE4: alternating high and low nibble).
      for (let i = 0; i < n; i++) put(rle4 ? (i & 1 ? c & 15 : c >> 4) : c);
    } else if (c === 0) {
      x = 0;
      y++;
    } else if (c === 1) {
      break;
    } else if (c === 2) {
      if (p + 1 >= bytes.length) throw corrupt('bmp');
      x += bytes[p];
      y += bytes[p + 1];
      p += 2;
    } else {
      // Absolute run of c literal pixels, padded to a 16-bit boundary.
      const size = rle4 ? Math.ceil(c / 2) : c;
      if (p + size > bytes.length) throw corrupt('bmp');
      for (let i = 0; i < c; i++)
        put(rle4 ? (i & 1 ? bytes[p + (i >> 1)] & 15 : bytes[p + (i >> 1)] >> 4) : bytes[p + i]);
      p += (size + 1) & ~1;
    }
  }
  return out;
}
