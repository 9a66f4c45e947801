// decodeImage on CompreFace's format fixtures and on generated edge cases: errors, bombs, EXIF, frames, alpha.
import { readFileSync, readdirSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { JobTimedOut, UnsupportedImage } from '../../shared/errors.js';
import type { RawImage } from '../../shared/image.js';
import { decodeImage, sniffFormat } from '../../server/src/image/decode.js';
import { headerSize } from '../../server/src/image/sniff.js';
import { syntheticPng, tallPng } from './png.js';

const dir = new URL('../fixtures/image-formats/', import.meta.url);
const read = (name: string) => new Uint8Array(readFileSync(new URL(name, dir)));

function meanAbsDiff(a: RawImage, b: RawImage): number {
  let sum = 0;
  for (let i = 0; i < a.data.length; i++) sum += Math.abs(a.data[i] - b.data[i]);
  return sum / a.data.length;
}

async function rejection(p: Promise<unknown>): Promise<UnsupportedImage> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UnsupportedImage);
  return err as UnsupportedImage;
}

describe('CompreFace format fixtures', () => {
  const formats = ['bmp', 'gif', 'ico', 'jpeg', 'tiff', 'webp'];
  it('every einstein.* decodes to the PNG size and pixels', async () => {
    const ref = await decodeImage(read('einstein.png'));
    expect(ref).toMatchObject({ width: 256, height: 256, channels: 3 });
    for (const ext of formats) {
      const img = await decodeImage(read(`einstein.${ext}`));
      expect({ ext, width: img.width, height: img.height, channels: img.channels }).toEqual({
        ext,
        width: 256,
        height: 256,
        channels: 3,
      });
      expect(img.data.length).toBe(256 * 256 * 3);
      // Measured 1.0 (bmp, jpeg, tiff) to 2.7 (ico): lossy encodings and the PNG's palette quantisation.
      expect(meanAbsDiff(img, ref), ext).toBeLessThan(4);
    }
  });

  it('covers every file of the fixture folder', () => {
    const names = readdirSync(dir).sort();
    expect(names).toEqual([
      'corrupted.png',
      ...['bmp', 'gif', 'ico', 'jpeg', 'png', 'tiff', 'webp'].map((e) => `einstein.${e}`),
      'empty.png',
      'truncated.jpg',
    ]);
  });

  it.each([
    ['corrupted.png', 'cannot decode image: truncated or corrupt PNG data'],
    ['empty.png', 'unsupported image format (expected jpeg, png, gif, bmp, tiff, webp or ico)'],
    ['truncated.jpg', 'cannot decode image: truncated or corrupt JPEG data'],
  ])('%s is UnsupportedImage: %s', async (name, message) => {
    const err = await rejection(decodeImage(read(name)));
    expect(err.message).toBe(message);
    expect(err.code).toBe(21);
  });
});

describe('bad input', () => {
  it('rejects an empty buffer', async () => {
    expect((await rejection(decodeImage(new Uint8Array(0)))).message).toBe(
      'cannot decode image: the file is empty',
    );
  });

  it('rejects each format cut short or garbled with a named error', async () => {
    for (const ext of ['bmp', 'gif', 'ico', 'jpeg', 'png', 'tiff', 'webp']) {
      const bytes = read(`einstein.${ext}`);
      for (const cut of [12, 40, bytes.length >> 1]) {
        const err = await rejection(decodeImage(bytes.subarray(0, cut)));
        expect(err.message, `${ext} cut at ${cut}`).toMatch(
          /^(cannot decode image|unsupported image format)/,
        );
      }
      const garbled = bytes.slice();
      for (let i = 64; i < garbled.length; i += 7) garbled[i] ^= 0x5a;
      await decodeImage(garbled).then(
        (img) => expect(img.channels).toBe(3), // some decoders conceal damage; then the result is still an image
        (e: unknown) => expect(e, ext).toBeInstanceOf(UnsupportedImage),
      );
    }
  });
});

/** A 60-byte PNG whose valid IHDR claims the given size (libspng wants an IDAT before it reports the header). */
const pngBomb = (width: number, height: number) => syntheticPng(width, height, { colourType: 2 });

describe('decompression bombs', () => {
  it('rejects a header claiming 50000x50000 before decoding', async () => {
    const err = await rejection(decodeImage(pngBomb(50000, 50000)));
    expect(err.message).toBe('image is 50000x50000 pixels, more than the 40000000-pixel limit');
  });

  it('applies a smaller configured limit to a real image, and accepts one exactly at it', async () => {
    const png = await sharp({ create: { width: 200, height: 100, channels: 3, background: '#808080' } })
      .png()
      .toBuffer();
    const err = await rejection(decodeImage(png, { maxPixels: 19_999 }));
    expect(err.message).toBe('image is 200x100 pixels, more than the 19999-pixel limit');
    expect((await decodeImage(png, { maxPixels: 20_000 })).width).toBe(200);
  });

  // Issue 19: 1x39,999,999 is under the pixel limit, yet libvips decodes it row by row for 27 s.
  it('rejects a tall PNG by its side before decoding, with the configured side limit', async () => {
    const err = await rejection(decodeImage(pngBomb(1, 39_999_999)));
    expect(err.message).toBe('image is 1x39999999 pixels, a side longer than the 16384-pixel limit');
    expect(err).toMatchObject({ code: 21, status: 400 });
    const wide = await rejection(decodeImage(pngBomb(2001, 1), { maxImageSide: 2000 }));
    expect(wide.message).toBe('image is 2001x1 pixels, a side longer than the 2000-pixel limit');
  });

  it('reads the size a PNG, GIF, BMP or JPEG header claims without decoding, as the decoder finds it', async () => {
    for (const ext of ['png', 'gif', 'bmp', 'jpeg']) {
      const bytes = read(`einstein.${ext}`);
      const { width, height } = await decodeImage(bytes);
      expect(headerSize(bytes), ext).toEqual({ width, height });
    }
    expect(headerSize(pngBomb(1, 39_999_999))).toEqual({ width: 1, height: 39_999_999 });
    expect(headerSize(read('einstein.webp'))).toBeUndefined();
    expect(headerSize(new Uint8Array([0xff, 0xd8, 0xff]))).toBeUndefined();
  });

  it('applies the side limit to the pure BMP decoder too', async () => {
    const bmp = read('einstein.bmp');
    const { width } = await decodeImage(bmp);
    const err = await rejection(decodeImage(bmp, { maxImageSide: width - 1 }));
    expect(err.message).toMatch(new RegExp(`a side longer than the ${width - 1}-pixel limit$`));
  });

  it('stops a decode that runs past its time limit with a clear error', async () => {
    const height = 4_000_000; // 1 s of libvips work per ~500k rows: well past 1 s
    const png = tallPng(height);
    const err = await decodeImage(png, { maxImageSide: height, timeoutSeconds: 1 }).then(
      () => expect.unreachable('the decode should time out'),
      (e: unknown) => e as Error,
    );
    expect(err.message).toBe('cannot decode image: decoding took longer than the 1-second limit');
    expect(err).toBeInstanceOf(JobTimedOut); // 503 code 46: retry later, the image itself may be fine
  });
});

describe('pixel conventions', () => {
  it('applies EXIF orientation 6 (rotate 90° clockwise)', async () => {
    // 40x20: left half red, right half blue. Displayed rotated clockwise, red is on top.
    const raw = Buffer.alloc(40 * 20 * 3);
    for (let i = 0; i < 40 * 20; i++) raw.set(i % 40 < 20 ? [255, 0, 0] : [0, 0, 255], 3 * i);
    const jpeg = await sharp(raw, { raw: { width: 40, height: 20, channels: 3 } })
      .jpeg({ quality: 95 })
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const img = await decodeImage(jpeg);
    expect([img.width, img.height]).toEqual([20, 40]);
    const at = (x: number, y: number) => [...img.data.subarray(3 * (y * 20 + x), 3 * (y * 20 + x) + 3)];
    expect(at(10, 5)[0]).toBeGreaterThan(200);
    expect(at(10, 35)[2]).toBeGreaterThan(200);
  });

  it('takes the first frame of an animated GIF', async () => {
    const raw = Buffer.alloc(8 * 16 * 3);
    for (let i = 0; i < 8 * 16; i++) raw.set(i < 64 ? [255, 0, 0] : [0, 0, 255], 3 * i);
    const gif = await sharp(raw, { raw: { width: 8, height: 16, channels: 3, pageHeight: 8 } })
      .gif()
      .toBuffer();
    expect((await sharp(gif).metadata()).pages).toBe(2);
    const img = await decodeImage(gif);
    expect([img.width, img.height]).toEqual([8, 8]);
    expect([...img.data.subarray(0, 3)]).toEqual([255, 0, 0]);
  });

  it('expands grayscale and 16-bit images to 8-bit RGB', async () => {
    const gray = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#646464' } })
      .toColourspace('b-w')
      .png()
      .toBuffer();
    expect((await sharp(gray).metadata()).channels).toBe(1);
    const g = await decodeImage(gray);
    expect(g.channels).toBe(3);
    expect([...g.data.subarray(0, 3)]).toEqual([100, 100, 100]);
    const deep = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#c81e0a' } })
      .toColourspace('rgb16')
      .png()
      .toBuffer();
    expect((await sharp(deep).metadata()).depth).toBe('ushort');
    const d = await decodeImage(deep);
    expect(d.data).toBeInstanceOf(Uint8Array);
    expect([...d.data.subarray(0, 3)]).toEqual([200, 30, 10]);
  });

  it('converts a CMYK JPEG to RGB', async () => {
    const cmyk = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#c81e0a' } })
      .toColourspace('cmyk')
      .jpeg({ quality: 100 })
      .toBuffer();
    expect((await sharp(cmyk).metadata()).space).toBe('cmyk');
    const img = await decodeImage(cmyk);
    expect(img.channels).toBe(3);
    // Through the CMYK profile round trip: close to the original red, not the raw ink values.
    const [r, g, b] = img.data.subarray(0, 3);
    expect(Math.abs(r - 200) + Math.abs(g - 30) + Math.abs(b - 10)).toBeLessThan(40);
  });

  it('takes RGB pixels as stored, whatever ICC profile is embedded', async () => {
    // sharp converts the red to Display P3 on output and embeds that profile; the file then stores P3 numbers.
    const p3 = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#c81e0a' } })
      .png({ adaptiveFiltering: false, compressionLevel: 0 })
      .withIccProfile('p3')
      .toBuffer();
    expect((await sharp(p3).metadata()).hasProfile).toBe(true);
    // The first pixel as stored, read straight from the PNG's IDAT chunk (filter byte 0, then R, G, B).
    const idat = p3.indexOf('IDAT');
    const rows = inflateSync(p3.subarray(idat + 4, idat + 4 + p3.readUInt32BE(idat - 4)));
    expect(rows[0]).toBe(0);
    const stored = [...rows.subarray(1, 4)];
    const managed = [...(await sharp(p3).toColourspace('srgb').raw().toBuffer()).subarray(0, 3)];
    expect(managed).not.toEqual(stored);
    const img = await decodeImage(new Uint8Array(p3));
    expect([...img.data.subarray(0, 3)]).toEqual(stored);
  });

  it('composites transparent pixels on white', async () => {
    const png = await sharp({
      create: { width: 2, height: 2, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
    })
      .png()
      .toBuffer();
    const img = await decodeImage(png);
    expect([...img.data]).toEqual(new Array(12).fill(255));
  });
});

describe('reduced decoding (maxSide)', () => {
  it('decodes a big photo at most maxSide pixels long and records the upright source size', async () => {
    // 400x200 with EXIF orientation 6: upright it is 200x400, so the long side is the height.
    const raw = Buffer.alloc(400 * 200 * 3, 128);
    const jpeg = await sharp(raw, { raw: { width: 400, height: 200, channels: 3 } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const img = await decodeImage(jpeg, { maxSide: 100 });
    expect([img.width, img.height]).toEqual([50, 100]);
    expect(img.source).toEqual({ width: 200, height: 400 });
    expect(img.data.length).toBe(50 * 100 * 3);
  });
  it('leaves images within maxSide (and every image when maxSide is 0) at full size, without source', async () => {
    const png = read('einstein.png');
    const full = await decodeImage(png);
    for (const maxSide of [0, Math.max(full.width, full.height)]) {
      const img = await decodeImage(png, { maxSide });
      expect([img.width, img.height, img.source]).toEqual([full.width, full.height, undefined]);
    }
  });
});

describe('sniffFormat', () => {
  it.each([
    ['einstein.bmp', 'bmp'],
    ['einstein.gif', 'gif'],
    ['einstein.ico', 'ico'],
    ['einstein.jpeg', 'jpeg'],
    ['einstein.png', 'png'],
    ['einstein.tiff', 'tiff'],
    ['einstein.webp', 'webp'],
    ['corrupted.png', 'png'],
    ['truncated.jpg', 'jpeg'],
    ['empty.png', undefined],
  ])('%s → %s', (name, format) => {
    expect(sniffFormat(read(name))).toBe(format);
  });

  it('recognises big-endian TIFF and ignores lookalikes', () => {
    expect(sniffFormat(new Uint8Array([0x4d, 0x4d, 0x00, 0x2a, 0, 0, 0, 8]))).toBe('tiff');
    expect(sniffFormat(new TextEncoder().encode('RIFF\0\0\0\0WAVEfmt '))).toBeUndefined();
    expect(sniffFormat(new Uint8Array([0, 0, 1, 0, 0, 0]))).toBeUndefined();
    expect(sniffFormat(new Uint8Array(0))).toBeUndefined();
  });
});
