// Image format detection from magic bytes (shared/image-format.ts): the file's extension and Content-Type are
// never trusted; and the size a header claims, read before decoding.
import { sniffFormat } from '../../../shared/image-format.js';

export { IMAGE_FORMATS, sniffFormat, type ImageFormat } from '../../../shared/image-format.js';

/**
 * The width and height a header claims, read without decoding (PNG, GIF, BMP, JPEG; undefined for the others or a
 * header too short): lets the server refuse an over-limit image before it takes a place in the inference queue.
 */
export function headerSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const format = sniffFormat(bytes);
  if (format === 'png' && bytes.length >= 24)
    return { width: view.getUint32(16), height: view.getUint32(20) };
  if (format === 'gif' && bytes.length >= 10)
    return { width: view.getUint16(6, true), height: view.getUint16(8, true) };
  if (format === 'bmp' && bytes.length >= 26 && view.getUint32(14, true) >= 40)
    return { width: Math.abs(view.getInt32(18, true)), height: Math.abs(view.getInt32(22, true)) };
  if (format === 'jpeg') return jpegSize(bytes, view);
  return undefined;
}

/** The first start-of-frame marker's size (SOF0-SOF15 except DHT, JPG and DAC). */
function jpegSize(bytes: Uint8Array, view: DataView): { width: number; height: number } | undefined {
  let at = 2;
  while (at + 9 <= bytes.length) {
    if (bytes[at] !== 0xff) return undefined;
    const marker = bytes[at + 1];
    if (marker === 0xff) {
      at++;
      continue;
    }
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc)
      return { width: view.getUint16(at + 7), height: view.getUint16(at + 5) };
    at += 2 + view.getUint16(at + 2);
  }
  return undefined;
}
