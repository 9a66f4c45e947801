// Image format detection from magic bytes: the file's extension and Content-Type are never trusted.

export const IMAGE_FORMATS = ['jpeg', 'png', 'gif', 'bmp', 'tiff', 'webp', 'ico'] as const;
export type ImageFormat = (typeof IMAGE_FORMATS)[number];

function startsWith(bytes: Uint8Array, magic: readonly number[], at = 0): boolean {
  if (bytes.length < at + magic.length) return false;
  return magic.every((b, i) => bytes[at + i] === b);
}

const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/** The format the bytes start with, or undefined when they match none of CompreFace's formats. */
export function sniffFormat(bytes: Uint8Array): ImageFormat | undefined {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a'))) return 'gif';
  if (startsWith(bytes, ascii('BM')) && bytes.length >= 18) return 'bmp';
  // Classic TIFF (42) and BigTIFF (43), both byte orders.
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a]))
    return 'tiff';
  if (startsWith(bytes, [0x49, 0x49, 0x2b, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2b]))
    return 'tiff';
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'webp';
  // ICO (type 1) or CUR (type 2) directory with at least one entry whose reserved byte is 0.
  if (
    startsWith(bytes, [0, 0]) &&
    (bytes[2] === 1 || bytes[2] === 2) &&
    bytes[3] === 0 &&
    bytes.length >= 22
  ) {
    const count = bytes[4] | (bytes[5] << 8);
    if (count > 0 && bytes[9] === 0) return 'ico';
  }
  return undefined;
}

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
