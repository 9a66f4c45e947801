// Thumbnails of stored example photos for the collection pages: the photo decoded reduced (JPEG shrink-on-load),
// upright per its EXIF orientation and in sRGB, as a browser shows the original, then encoded as a small JPEG.
// libvips works on libuv's threads, off the request thread, as every sharp call; a thumbnail costs a few tens of
// milliseconds (a 36 MP photo) and is not queued in the inference pool, whose places and per-key shares are for
// analyses (a page of tiles would take them, and a tile refused with 503 or 429 would show as broken).
import sharp from 'sharp';
import { decodeImage, type DecodeOptions } from './decode.js';

/** JPEG quality of thumbnails: no visible loss at tile size, a 256-pixel photo in about 10 KB. */
const QUALITY = 80;

/**
 * The image scaled down so that its longer side is at most `maxSide` (never up), oriented and in sRGB, as JPEG.
 * Throws `UnsupportedImage` as `decodeImage` does for bytes it cannot decode or that exceed the limits.
 */
export async function thumbnailJpeg(
  bytes: Uint8Array,
  maxSide: number,
  limits: Pick<DecodeOptions, 'maxPixels' | 'maxImageSide'> = {},
): Promise<Uint8Array> {
  const image = await decodeImage(bytes, { ...limits, maxSide, toSrgb: true });
  const { width, height, channels } = image;
  const jpeg = await sharp(image.data, { raw: { width, height, channels } })
    .jpeg({ quality: QUALITY })
    .toBuffer();
  return new Uint8Array(jpeg.buffer, jpeg.byteOffset, jpeg.byteLength);
}
