// Server-side image decoding: bytes of any CompreFace format → RGB RawImage, EXIF-oriented, bomb-checked.
// libvips (sharp) decodes jpeg/png/gif/tiff/webp; small pure decoders handle BMP and ICO, which libvips cannot read.
import sharp, { type Metadata, type SharpOptions } from 'sharp';
import type { RawImage } from '../../../shared/image.js';
import { JobTimedOut, UnsupportedImage, VisorError } from '../../../shared/errors.js';
import { decodeBmp, decodeDib } from './bmp.js';
import { largestIcoEntry } from './ico.js';
import { checkPixels, corrupt, DEFAULT_MAX_PIXELS, DEFAULT_MAX_SIDE } from './limits.js';
import { IMAGE_FORMATS, sniffFormat, type ImageFormat } from './sniff.js';

export { sniffFormat, IMAGE_FORMATS, type ImageFormat } from './sniff.js';
export { DEFAULT_MAX_PIXELS, DEFAULT_MAX_SIDE } from './limits.js';

export interface DecodeOptions {
  /** Decompression-bomb guard checked on the header before decoding (default 40 megapixels). */
  maxPixels?: number;
  /**
   * Longest side to decode at (0 or absent: full size). Bigger photos decode reduced (JPEG shrink-on-load makes
   * that cheaper than a full decode) and carry `source`, their full size, so results map back to it.
   */
  maxSide?: number;
  /** Longest side the header may claim (default 16384): decode cost grows with the rows, not only the pixels. */
  maxImageSide?: number;
  /** libvips stops decoding after this many whole seconds (0 or absent: no limit); the image is then refused. */
  timeoutSeconds?: number;
  /**
   * Converts through the embedded ICC profile to sRGB, as a browser shows the photo (thumbnails). Default: the RGB
   * pixels as stored, as the models read them.
   */
  toSrgb?: boolean;
}

interface Limits {
  maxPixels: number;
  maxImageSide: number;
  timeoutSeconds: number;
  toSrgb?: boolean;
}

const EXPECTED = `unsupported image format (expected ${IMAGE_FORMATS.slice(0, -1).join(', ')} or ico)`;

/**
 * Decodes an image to interleaved 8-bit RGB, rotated per its EXIF orientation, transparent pixels on white.
 * Throws `UnsupportedImage` (or `JobTimedOut` past the decode time limit; never another error) for empty, unknown, corrupt, truncated or too large images.
 */
export async function decodeImage(bytes: Uint8Array, opts: DecodeOptions = {}): Promise<RawImage> {
  const maxPixels = opts.maxPixels ?? DEFAULT_MAX_PIXELS;
  const limits: Limits = {
    maxPixels,
    maxImageSide: opts.maxImageSide ?? DEFAULT_MAX_SIDE,
    timeoutSeconds: opts.timeoutSeconds ?? 0,
    toSrgb: opts.toSrgb,
  };
  if (bytes.length === 0) throw new UnsupportedImage('cannot decode image: the file is empty');
  const format = sniffFormat(bytes);
  if (!format) throw new UnsupportedImage(EXPECTED);
  try {
    if (format === 'bmp') return decodeBmp(bytes, maxPixels, limits.maxImageSide);
    if (format === 'ico') {
      const entry = largestIcoEntry(bytes);
      if (sniffFormat(entry) === 'png') return await decodeWithSharp(entry, 'ico', limits);
      return decodeDib(entry, 0, { icon: true, maxPixels, maxSide: limits.maxImageSide });
    }
    return await decodeWithSharp(bytes, format, limits, opts.maxSide ?? 0);
  } catch (e) {
    if (e instanceof VisorError) throw e;
    throw corrupt(format, e);
  }
}

async function decodeWithSharp(
  bytes: Uint8Array,
  format: ImageFormat,
  { maxPixels, maxImageSide, timeoutSeconds, toSrgb }: Limits,
  maxSide = 0,
): Promise<RawImage> {
  // failOn 'truncated': a cut-off file is an error, while the benign warnings real cameras produce are not.
  const options: SharpOptions = {
    failOn: 'truncated',
    limitInputPixels: Number.isFinite(maxPixels) ? Math.max(1, Math.floor(maxPixels)) : false,
  };
  let meta: Metadata;
  try {
    // Header only: the limit is checked below, with a message that gives the dimensions.
    meta = await sharp(bytes, { ...options, limitInputPixels: false }).metadata();
  } catch (e) {
    throw corrupt(format, e);
  }
  if (!meta.width || !meta.height) throw corrupt(format);
  checkPixels(meta.width, meta.height, maxPixels, maxImageSide);
  // RGB pixels are taken as stored, as the models' training pipelines read them (and the browser's
  // createImageBitmap with colorSpaceConversion 'none'): an embedded profile's transform costs more than the whole
  // decode of a small photo (7 of 12 ms on a 348x522 camera JPEG). CMYK still needs its profile to become RGB.
  const ignoreIcc = !toSrgb && meta.space !== 'cmyk';
  let pipeline = sharp(bytes, { ...options, ignoreIcc }).rotate();
  if (timeoutSeconds > 0) pipeline = pipeline.timeout({ seconds: timeoutSeconds });
  if (meta.hasAlpha) pipeline = pipeline.flatten({ background: '#ffffff' });
  // EXIF orientations 5-8 turn the image a quarter: the upright size swaps width and height.
  const [width, height] =
    (meta.orientation ?? 1) >= 5 ? [meta.height, meta.width] : [meta.width, meta.height];
  const reduce = maxSide > 0 && Math.max(width, height) > maxSide;
  if (reduce) pipeline = pipeline.resize({ width: maxSide, height: maxSide, fit: 'inside' });
  try {
    const { data, info } = await pipeline
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`expected 3 channels, got ${info.channels}`);
    return {
      data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      width: info.width,
      height: info.height,
      channels: 3,
      ...(reduce && { source: { width, height } }),
    };
  } catch (e) {
    if (timeoutSeconds > 0 && e instanceof Error && /^timeout\b/.test(e.message))
      // A time-out says the server was too slow, not that the image is bad: the same file may pass when idle.
      throw new JobTimedOut(
        `cannot decode image: decoding took longer than the ${timeoutSeconds}-second limit`,
      );
    throw corrupt(format, e);
  }
}
