// Image formats by their magic bytes (CompreFace's formats): the server refuses anything else whatever its name or
// Content-Type says, and the web app checks a file the same way before uploading it.

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
