// The decoders' shared guards and error messages: pixel and side limits (decompression bombs, decode cost) and
// corrupt data.
import { UnsupportedImage } from '../../../shared/errors.js';
import { headerSize } from './sniff.js';

/** Default decompression-bomb guard, as MAX_IMAGE_PIXELS' default. */
export const DEFAULT_MAX_PIXELS = 40_000_000;
/**
 * Default longest side, as MAX_IMAGE_SIDE's default. Decode cost grows with the rows (libpng/libvips work per row),
 * not only with the pixels: a 78 KB PNG of 1x39,999,999 pixels is under the pixel limit and takes libvips 27 s.
 * 16384 is WebP's own limit and beyond any camera; a 1x16384 PNG decodes in milliseconds.
 */
export const DEFAULT_MAX_SIDE = 16_384;

const LABELS: Record<string, string> = {
  jpeg: 'JPEG',
  png: 'PNG',
  gif: 'GIF',
  bmp: 'BMP',
  tiff: 'TIFF',
  webp: 'WebP',
  ico: 'ICO',
};

/** Throws before any pixel is decoded when the header's dimensions exceed the pixel or the side limit. */
export function checkPixels(
  width: number,
  height: number,
  maxPixels: number,
  maxSide: number = DEFAULT_MAX_SIDE,
): void {
  if (width * height > maxPixels) {
    throw new UnsupportedImage(`image is ${width}x${height} pixels, more than the ${maxPixels}-pixel limit`);
  }
  if (Math.max(width, height) > maxSide) {
    throw new UnsupportedImage(
      `image is ${width}x${height} pixels, a side longer than the ${maxSide}-pixel limit`,
    );
  }
}

/**
 * Checks the size a header claims (PNG, GIF, BMP, JPEG) before the image is queued for decoding; the decoder checks
 * every format again. Cheap (no decode), so an over-limit image never takes a place in the inference queue.
 */
export function checkHeader(bytes: Uint8Array, maxPixels: number, maxSide: number = DEFAULT_MAX_SIDE): void {
  const size = headerSize(bytes);
  if (size) checkPixels(size.width, size.height, maxPixels, maxSide);
}

/** The error for data that claims a format but cannot be decoded; the decoder's own error is kept as `cause`. */
export function corrupt(format: string, cause?: unknown): UnsupportedImage {
  const err = new UnsupportedImage(
    `cannot decode image: truncated or corrupt ${LABELS[format] ?? format} data`,
  );
  if (cause !== undefined) err.cause = cause;
  return err;
}
