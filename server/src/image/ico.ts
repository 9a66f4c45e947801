// ICO/CUR container: picks the largest image of the directory; the caller decodes it (PNG or DIB).
import { corrupt } from './limits.js';

interface IcoEntry {
  width: number;
  height: number;
  bpp: number;
  data: Uint8Array;
}

/**
 * The data of the directory's largest entry (most pixels, then most bits per pixel): a PNG file or a DIB.
 * Entries whose data lies outside the file are skipped; none left is a corrupt file.
 */
export function largestIcoEntry(bytes: Uint8Array): Uint8Array {
  if (bytes.length < 6) throw corrupt('ico');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint16(4, true);
  if (count === 0 || 6 + 16 * count > bytes.length) throw corrupt('ico');
  let best: IcoEntry | undefined;
  for (let i = 0; i < count; i++) {
    const at = 6 + 16 * i;
    const size = view.getUint32(at + 8, true);
    const offset = view.getUint32(at + 12, true);
    // A width or height byte of 0 means 256.
    const entry: IcoEntry = {
      width: bytes[at] || 256,
      height: bytes[at + 1] || 256,
      bpp: view.getUint16(at + 6, true),
      data: bytes.subarray(offset, offset + size),
    };
    if (size === 0 || offset + size > bytes.length) continue;
    const pixels = (e: IcoEntry) => e.width * e.height;
    if (!best || pixels(entry) > pixels(best) || (pixels(entry) === pixels(best) && entry.bpp > best.bpp)) {
      best = entry;
    }
  }
  if (!best) throw corrupt('ico');
  return best.data;
}
