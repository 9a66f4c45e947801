// Pure BMP/DIB decoder (libvips cannot read BMP): 1/2/4/8-bit palette (raw or RLE), 16/24/32-bit, bottom-up and
// top-down, BI_RGB and BI_(ALPHA)BITFIELDS; also the DIBs inside ICO files, with their AND transparency mask.
import type { RawImage } from '../../../shared/image.js';
import { UnsupportedImage } from '../../../shared/errors.js';
import { checkPixels, corrupt } from './limits.js';
import { decodeRle } from './rle.js';

const BI_RGB = 0;
const BI_RLE8 = 1;
const BI_RLE4 = 2;
const BI_BITFIELDS = 3;
const BI_ALPHABITFIELDS = 6;

export interface DibOptions {
  /** Checked against the header's dimensions before any pixel is read. */
  maxPixels: number;
  /** Longest side allowed, checked with `maxPixels` (default: MAX_IMAGE_SIDE's default). */
  maxSide?: number;
  /** An ICO entry: the height counts the XOR bitmap and the AND mask, and the AND mask follows the pixels. */
  icon?: boolean;
  /** Where the pixel array starts (a BMP file's bfOffBits); default: right after header, masks and palette. */
  pixelOffset?: number;
}

interface DibHeader {
  width: number;
  height: number;
  topDown: boolean;
  bpp: number;
  compression: number;
  /** Red, green, blue, alpha masks (unsigned) for 16/32-bit pixels. */
  masks: [number, number, number, number];
  /** RGB triples. */
  palette: Uint8Array;
  /** First byte after header, masks and palette. */
  end: number;
}

function readHeader(bytes: Uint8Array, at: number, icon: boolean): DibHeader {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const size = view.getUint32(at, true);
  let width: number, height: number, bpp: number, compression: number, colors: number;
  let masks: [number, number, number, number] = [0, 0, 0, 0];
  let end = at + size;
  if (size === 12) {
    // OS/2 BITMAPCOREHEADER: 16-bit dimensions, 3-byte palette entries.
    width = view.getUint16(at + 4, true);
    height = view.getUint16(at + 6, true);
    bpp = view.getUint16(at + 10, true);
    compression = BI_RGB;
    colors = 0;
  } else if (size >= 40) {
    width = view.getInt32(at + 4, true);
    height = view.getInt32(at + 8, true);
    bpp = view.getUint16(at + 14, true);
    compression = view.getUint32(at + 16, true);
    colors = view.getUint32(at + 32, true);
    if (compression === BI_BITFIELDS || compression === BI_ALPHABITFIELDS) {
      const alpha = compression === BI_ALPHABITFIELDS || size >= 56;
      const m = (i: number) => view.getUint32(at + 40 + 4 * i, true);
      masks = [m(0), m(1), m(2), alpha ? m(3) : 0];
      if (size === 40) end += compression === BI_ALPHABITFIELDS ? 16 : 12;
    }
  } else {
    throw new UnsupportedImage(`cannot decode image: unknown BMP header size ${size}`);
  }
  if (compression === BI_RGB && bpp === 16) masks = [0x7c00, 0x03e0, 0x001f, 0];
  // 32-bit BI_RGB: the fourth byte is unused in a BMP file, alpha in an icon.
  if (compression === BI_RGB && bpp === 32) masks = [0xff0000, 0xff00, 0xff, icon ? 0xff000000 : 0];
  const topDown = height < 0;
  height = Math.abs(height);
  if (icon) height = Math.floor(height / 2);
  if (width <= 0 || height <= 0) throw corrupt(icon ? 'ico' : 'bmp');
  if (compression === 4 || compression === 5) {
    throw new UnsupportedImage('cannot decode image: BMP with embedded JPEG/PNG data is not supported');
  }
  const known =
    (bpp <= 8 && [1, 2, 4, 8].includes(bpp) && compression === BI_RGB) ||
    (bpp === 8 && compression === BI_RLE8) ||
    (bpp === 4 && compression === BI_RLE4) ||
    (bpp === 24 && compression === BI_RGB) ||
    ((bpp === 16 || bpp === 32) && [BI_RGB, BI_BITFIELDS, BI_ALPHABITFIELDS].includes(compression));
  if (!known) {
    throw new UnsupportedImage(
      `cannot decode image: unsupported BMP variant (${bpp}-bit, compression ${compression})`,
    );
  }
  let palette = new Uint8Array(0);
  if (bpp <= 8) {
    const count = Math.min(colors || 1 << bpp, 1 << bpp);
    const entry = size === 12 ? 3 : 4;
    if (end + count * entry > bytes.length) throw corrupt(icon ? 'ico' : 'bmp');
    palette = new Uint8Array(3 * (1 << bpp));
    for (let i = 0; i < count; i++) {
      const p = end + i * entry;
      palette.set([bytes[p + 2], bytes[p + 1], bytes[p]], 3 * i);
    }
    end += count * entry;
  }
  return {
    width,
    height,
    topDown,
    bpp,
    compression,
    masks: masks.map((m) => m >>> 0) as DibHeader['masks'],
    palette,
    end,
  };
}

/** Reads a channel from a packed pixel and scales it to 8 bits. */
function channelReader(mask: number): (px: number) => number {
  if (mask === 0) return () => 255;
  let shift = 0;
  while (((mask >>> shift) & 1) === 0) shift++;
  const max = mask >>> shift;
  if (max === 0xff) return (px) => (px & mask) >>> shift;
  return (px) => Math.round((((px & mask) >>> shift) * 255) / max);
}

/** Decodes a DIB (BITMAPINFOHEADER and friends) starting at `at`. Transparent pixels are composited on white. */
export function decodeDib(bytes: Uint8Array, at: number, opts: DibOptions): RawImage {
  const icon = opts.icon ?? false;
  if (at + 16 > bytes.length) throw corrupt(icon ? 'ico' : 'bmp');
  const h = readHeader(bytes, at, icon);
  checkPixels(h.width, h.height, opts.maxPixels, opts.maxSide);
  const { width, height, bpp, palette } = h;
  const start = opts.pixelOffset ?? h.end;
  const stride = Math.floor((bpp * width + 31) / 32) * 4;
  const rle = h.compression === BI_RLE8 || h.compression === BI_RLE4;
  if (!rle && start + stride * (height - 1) + Math.ceil((bpp * width) / 8) > bytes.length)
    throw corrupt(icon ? 'ico' : 'bmp');

  const rgb = new Uint8Array(width * height * 3);
  const alpha = h.masks[3] !== 0 || icon ? new Uint8Array(width * height).fill(255) : undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const [readR, readG, readB, readA] = h.masks.map(channelReader);
  const indices = rle ? decodeRle(bytes, start, width, height, h.compression === BI_RLE4) : undefined;

  for (let y = 0; y < height; y++) {
    const srcRow = h.topDown ? y : height - 1 - y;
    const row = start + srcRow * stride;
    let o = y * width * 3;
    for (let x = 0; x < width; x++, o += 3) {
      if (bpp <= 8) {
        const i = indices
          ? indices[srcRow * width + x]
          : (bytes[row + ((x * bpp) >> 3)] >> (8 - bpp - ((x * bpp) & 7))) & ((1 << bpp) - 1);
        rgb[o] = palette[3 * i];
        rgb[o + 1] = palette[3 * i + 1];
        rgb[o + 2] = palette[3 * i + 2];
      } else if (bpp === 24) {
        const p = row + 3 * x;
        rgb[o] = bytes[p + 2];
        rgb[o + 1] = bytes[p + 1];
        rgb[o + 2] = bytes[p];
      } else {
        const px = bpp === 16 ? view.getUint16(row + 2 * x, true) : view.getUint32(row + 4 * x, true);
        rgb[o] = readR(px);
        rgb[o + 1] = readG(px);
        rgb[o + 2] = readB(px);
        if (h.masks[3] !== 0) alpha![y * width + x] = readA(px);
      }
    }
  }
  if (alpha) {
    // Many writers leave the alpha byte at 0: an all-transparent image means "no alpha", not "invisible".
    if (h.masks[3] !== 0 && alpha.every((a) => a === 0)) alpha.fill(255);
    if (icon && (h.masks[3] === 0 || alpha.every((a) => a === 255)))
      applyAndMask(bytes, start + stride * height, h, alpha);
    flattenOnWhite(rgb, alpha);
  }
  return { data: rgb, width, height, channels: 3 };
}

/** An icon's 1-bit AND mask (1 = transparent), same row order as its pixels; ignored when absent. */
function applyAndMask(bytes: Uint8Array, start: number, h: DibHeader, alpha: Uint8Array): void {
  const stride = Math.floor((h.width + 31) / 32) * 4;
  if (start + stride * h.height > bytes.length) return;
  for (let y = 0; y < h.height; y++) {
    const row = start + (h.topDown ? y : h.height - 1 - y) * stride;
    for (let x = 0; x < h.width; x++) {
      if ((bytes[row + (x >> 3)] >> (7 - (x & 7))) & 1) alpha[y * h.width + x] = 0;
    }
  }
}

function flattenOnWhite(rgb: Uint8Array, alpha: Uint8Array): void {
  for (let i = 0; i < alpha.length; i++) {
    const a = alpha[i];
    if (a === 255) continue;
    for (let c = 3 * i; c < 3 * i + 3; c++) rgb[c] = Math.round((rgb[c] * a + 255 * (255 - a)) / 255);
  }
}

/** Decodes a BMP file: 14-byte file header (`BM`, pixel offset), then a DIB. */
export function decodeBmp(bytes: Uint8Array, maxPixels: number, maxSide?: number): RawImage {
  if (bytes.length < 26 || bytes[0] !== 0x42 || bytes[1] !== 0x4d) throw corrupt('bmp');
  const pixelOffset = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(10, true);
  return decodeDib(bytes, 14, { maxPixels, maxSide, pixelOffset: pixelOffset || undefined });
}
