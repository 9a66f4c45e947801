// The decoders' shared guards and error messages: pixel limit (decompression bombs) and corrupt data.
import { UnsupportedImage } from '../../../shared/errors.js';

/** Default decompression-bomb guard, as MAX_IMAGE_PIXELS' default. */
export const DEFAULT_MAX_PIXELS = 40_000_000;

const LABELS: Record<string, string> = {
  jpeg: 'JPEG',
  png: 'PNG',
  gif: 'GIF',
  bmp: 'BMP',
  tiff: 'TIFF',
  webp: 'WebP',
  ico: 'ICO',
};

/** Throws before any pixel is decoded when the header's dimensions exceed the limit. */
export function checkPixels(width: number, height: number, maxPixels: number): void {
  if (width * height > maxPixels) {
    throw new UnsupportedImage(`image is ${width}x${height} pixels, more than the ${maxPixels}-pixel limit`);
  }
}

/** The error for data that claims a format but cannot be decoded; the decoder's own error is kept as `cause`. */
export function corrupt(format: string, cause?: unknown): UnsupportedImage {
  const err = new UnsupportedImage(
    `cannot decode image: truncated or corrupt ${LABELS[format] ?? format} data`,
  );
  if (cause !== undefined) err.cause = cause;
  return err;
}
