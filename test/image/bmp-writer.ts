// Test helper: writes BMP files, DIBs and ICO containers of every variant the decoder claims to read.

export type Rgba = [number, number, number, number];

export interface DibSpec {
  width: number;
  height: number;
  bpp: 1 | 2 | 4 | 8 | 16 | 24 | 32;
  /** Palette index (bpp ≤ 8) or colour of a pixel; for RLE the pixels come from `rle`. */
  pixel: (x: number, y: number) => number | Rgba;
  palette?: [number, number, number][];
  topDown?: boolean;
  /** 12 (OS/2 core), 40 (BITMAPINFOHEADER), 56 (V3: alpha mask in the header), 124 (V5). */
  headerSize?: 12 | 40 | 56 | 124;
  /** 0 BI_RGB, 1 RLE8, 2 RLE4, 3 BI_BITFIELDS, 6 BI_ALPHABITFIELDS. */
  compression?: 0 | 1 | 2 | 3 | 6;
  /** R, G, B, A masks for 16/32-bit BI_BITFIELDS (default 565 / 8888). */
  masks?: [number, number, number, number];
  /** Pre-encoded RLE stream (compression 1 or 2). */
  rle?: number[];
  /** ICO DIB: height doubled, 1-bit AND mask (true = transparent) appended. */
  andMask?: (x: number, y: number) => boolean;
  icon?: boolean;
}

/** Packs 8-bit channels into a pixel with the given masks. */
export function pack(c: Rgba, masks: number[]): number {
  let v = 0;
  masks.forEach((m, i) => {
    if (m === 0) return;
    let shift = 0;
    while (((m >>> shift) & 1) === 0) shift++;
    const max = m >>> shift;
    v += Math.round((c[i] * max) / 255) * 2 ** shift;
  });
  return v >>> 0;
}

export function defaultMasks(spec: DibSpec): [number, number, number, number] {
  if (spec.masks) return spec.masks;
  if (spec.bpp === 16)
    return spec.compression === 3 ? [0xf800, 0x07e0, 0x001f, 0] : [0x7c00, 0x03e0, 0x001f, 0];
  return [0xff0000, 0xff00, 0xff, spec.compression === 0 ? 0 : 0xff000000];
}

/** A DIB: header, masks (BITMAPINFOHEADER + bitfields), palette, pixels, optional AND mask. */
export function writeDib(spec: DibSpec): { dib: Uint8Array; pixelOffset: number } {
  const { width, height, bpp } = spec;
  const headerSize = spec.headerSize ?? 40;
  const compression = spec.compression ?? 0;
  const masks = defaultMasks(spec);
  const extraMasks =
    headerSize === 40 && compression === 3 ? 12 : headerSize === 40 && compression === 6 ? 16 : 0;
  const palette = spec.palette ?? [];
  const entry = headerSize === 12 ? 3 : 4;
  const stride = Math.floor((bpp * width + 31) / 32) * 4;
  const pixels = spec.rle ? new Uint8Array(spec.rle) : new Uint8Array(stride * height);
  if (!spec.rle) {
    for (let y = 0; y < height; y++) {
      const row = (spec.topDown ? y : height - 1 - y) * stride;
      for (let x = 0; x < width; x++) {
        const v = spec.pixel(x, y);
        if (bpp <= 8) pixels[row + ((x * bpp) >> 3)] |= (v as number) << (8 - bpp - ((x * bpp) & 7));
        else if (bpp === 24) pixels.set([(v as Rgba)[2], (v as Rgba)[1], (v as Rgba)[0]], row + 3 * x);
        else {
          const p = pack(v as Rgba, masks);
          for (let b = 0; b < bpp / 8; b++) pixels[row + (x * bpp) / 8 + b] = (p >>> (8 * b)) & 0xff;
        }
      }
    }
  }
  const andStride = Math.floor((width + 31) / 32) * 4;
  const and = new Uint8Array(spec.andMask ? andStride * height : 0);
  if (spec.andMask) {
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        if (spec.andMask(x, y)) and[(height - 1 - y) * andStride + (x >> 3)] |= 0x80 >> (x & 7);
      }
    }
  }
  const pixelOffset = headerSize + extraMasks + palette.length * entry;
  const dib = new Uint8Array(pixelOffset + pixels.length + and.length);
  const view = new DataView(dib.buffer);
  view.setUint32(0, headerSize, true);
  const h = (spec.icon ? 2 * height : height) * (spec.topDown ? -1 : 1);
  if (headerSize === 12) {
    view.setUint16(4, width, true);
    view.setUint16(6, h, true);
    view.setUint16(8, 1, true);
    view.setUint16(10, bpp, true);
  } else {
    view.setInt32(4, width, true);
    view.setInt32(8, h, true);
    view.setUint16(12, 1, true);
    view.setUint16(14, bpp, true);
    view.setUint32(16, compression, true);
    view.setUint32(20, pixels.length, true);
    view.setUint32(32, palette.length, true);
    if (compression === 3 || compression === 6 || headerSize >= 56) {
      const n = compression === 6 || headerSize >= 56 ? 4 : 3;
      for (let i = 0; i < n; i++) view.setUint32(40 + 4 * i, masks[i], true);
    }
  }
  palette.forEach(([r, g, b], i) => dib.set([b, g, r], pixelOffset - palette.length * entry + i * entry));
  dib.set(pixels, pixelOffset);
  dib.set(and, pixelOffset + pixels.length);
  return { dib, pixelOffset };
}

/** A BMP file: the 14-byte file header, then the DIB. */
export function writeBmp(spec: DibSpec): Uint8Array {
  const { dib, pixelOffset } = writeDib(spec);
  const file = new Uint8Array(14 + dib.length);
  const view = new DataView(file.buffer);
  file.set([0x42, 0x4d]);
  view.setUint32(2, file.length, true);
  view.setUint32(10, 14 + pixelOffset, true);
  file.set(dib, 14);
  return file;
}

/** An ICO container holding the given images (PNG files or icon DIBs), with their nominal sizes. */
export function writeIco(
  entries: { width: number; height: number; bpp: number; data: Uint8Array }[],
): Uint8Array {
  const size = 6 + 16 * entries.length + entries.reduce((s, e) => s + e.data.length, 0);
  const file = new Uint8Array(size);
  const view = new DataView(file.buffer);
  view.setUint16(2, 1, true);
  view.setUint16(4, entries.length, true);
  let offset = 6 + 16 * entries.length;
  entries.forEach((e, i) => {
    const at = 6 + 16 * i;
    file[at] = e.width >= 256 ? 0 : e.width;
    file[at + 1] = e.height >= 256 ? 0 : e.height;
    view.setUint16(at + 4, 1, true);
    view.setUint16(at + 6, e.bpp, true);
    view.setUint32(at + 8, e.data.length, true);
    view.setUint32(at + 12, offset, true);
    file.set(e.data, offset);
    offset += e.data.length;
  });
  return file;
}
