// The pure BMP and ICO decoders on files generated here for every variant, and on the einstein fixture re-encoded.
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { UnsupportedImage } from '../../shared/errors.js';
import { decodeImage } from '../../server/src/image/decode.js';
import { pack, writeBmp, writeDib, writeIco, type DibSpec, type Rgba } from './bmp-writer.js';

const W = 13; // odd width: every row needs padding
const H = 7;
const colour = (x: number, y: number): Rgba => [(x * 19) % 256, (y * 37) % 256, ((x + y) * 23) % 256, 255];
const palette: [number, number, number][] = Array.from({ length: 256 }, (_, i) => [
  i,
  255 - i,
  (i * 7) % 256,
]);
const index = (bpp: number) => (x: number, y: number) => (x + 3 * y) % (1 << bpp);

/** What the decoder must return: palette colours, or colours quantised to the masks and scaled back. */
function expected(spec: DibSpec, masks?: number[]): number[] {
  const out: number[] = [];
  for (let y = 0; y < spec.height; y++) {
    for (let x = 0; x < spec.width; x++) {
      const v = spec.pixel(x, y);
      if (typeof v === 'number') out.push(...palette[v]);
      else if (!masks) out.push(v[0], v[1], v[2]);
      else {
        const p = pack(v, masks);
        out.push(
          ...masks.slice(0, 3).map((m) => {
            let shift = 0;
            while (((m >>> shift) & 1) === 0) shift++;
            return Math.round((((p & m) >>> shift) * 255) / (m >>> shift));
          }),
        );
      }
    }
  }
  return out;
}

async function decodeSpec(spec: DibSpec) {
  const img = await decodeImage(writeBmp(spec));
  expect([img.width, img.height, img.channels]).toEqual([spec.width, spec.height, 3]);
  return [...img.data];
}

describe('BMP variants', () => {
  it.each([1, 2, 4, 8] as const)('%i-bit palette, bottom-up and top-down', async (bpp) => {
    for (const topDown of [false, true]) {
      const spec: DibSpec = {
        width: W,
        height: H,
        bpp,
        topDown,
        pixel: index(bpp),
        palette: palette.slice(0, 1 << bpp),
      };
      expect(await decodeSpec(spec)).toEqual(expected(spec));
    }
  });

  it('8-bit with an OS/2 core header (3-byte palette entries)', async () => {
    const spec: DibSpec = { width: W, height: H, bpp: 8, headerSize: 12, pixel: index(8), palette };
    expect(await decodeSpec(spec)).toEqual(expected(spec));
  });

  it('24-bit, bottom-up and top-down', async () => {
    for (const topDown of [false, true]) {
      const spec: DibSpec = { width: W, height: H, bpp: 24, topDown, pixel: colour };
      expect(await decodeSpec(spec)).toEqual(expected(spec));
    }
  });

  it('16-bit BI_RGB (5-5-5) and BI_BITFIELDS (5-6-5)', async () => {
    const rgb555: DibSpec = { width: W, height: H, bpp: 16, pixel: colour };
    expect(await decodeSpec(rgb555)).toEqual(expected(rgb555, [0x7c00, 0x03e0, 0x001f]));
    const rgb565: DibSpec = { width: W, height: H, bpp: 16, compression: 3, pixel: colour, topDown: true };
    expect(await decodeSpec(rgb565)).toEqual(expected(rgb565, [0xf800, 0x07e0, 0x001f]));
  });

  it('32-bit BI_RGB ignores the fourth byte', async () => {
    const noisy = (x: number, y: number): Rgba => [...colour(x, y).slice(0, 3), (x * 20) % 256] as Rgba;
    const spec: DibSpec = {
      width: W,
      height: H,
      bpp: 32,
      pixel: noisy,
      masks: [0xff0000, 0xff00, 0xff, 0xff000000],
    };
    expect(await decodeSpec(spec)).toEqual(expected(spec));
  });

  it('32-bit BI_BITFIELDS with alpha (V5 header) composites on white; all-zero alpha means opaque', async () => {
    const half = (x: number): Rgba => [200, 100, 50, x < 6 ? 255 : 0];
    const spec: DibSpec = { width: W, height: H, bpp: 32, headerSize: 124, compression: 3, pixel: half };
    const data = await decodeSpec(spec);
    expect(data.slice(0, 3)).toEqual([200, 100, 50]);
    expect(data.slice(3 * 12, 3 * 13)).toEqual([255, 255, 255]);
    const zero: DibSpec = {
      ...spec,
      headerSize: 56,
      pixel: (x, y) => [...colour(x, y).slice(0, 3), 0] as Rgba,
    };
    expect(await decodeSpec(zero)).toEqual(expected(zero));
  });

  it('32-bit BI_BITFIELDS with unusual masks (10-10-10) and BI_ALPHABITFIELDS', async () => {
    const masks: [number, number, number, number] = [0x3ff00000, 0x000ffc00, 0x000003ff, 0];
    const spec: DibSpec = { width: W, height: H, bpp: 32, compression: 3, masks, pixel: colour };
    expect(await decodeSpec(spec)).toEqual(expected(spec, masks));
    const alpha: DibSpec = { width: W, height: H, bpp: 32, compression: 6, pixel: colour };
    expect(await decodeSpec(alpha)).toEqual(expected(alpha));
  });

  it('RLE8 and RLE4 with runs, literals, end of line, delta and end of bitmap', async () => {
    // 6x3, rows bottom-up: [run 4 of 1, literal 2 3 4 (padded)], EOL, [delta (2, 0), run 2 of 5], EOL, [run 6 of 7], EOB.
    const rle8 = [4, 1, 0, 3, 2, 3, 4, 0, 0, 0, 0, 2, 2, 0, 2, 5, 0, 0, 6, 7, 0, 1];
    const rows = [
      [7, 7, 7, 7, 7, 7],
      [0, 0, 5, 5, 0, 0],
      [1, 1, 1, 1, 2, 3],
    ];
    const spec: DibSpec = {
      width: 6,
      height: 3,
      bpp: 8,
      compression: 1,
      rle: rle8,
      palette,
      pixel: (x, y) => rows[y][x],
    };
    expect(await decodeSpec(spec)).toEqual(expected(spec));
    // RLE4: run of 4 alternating 1/2, literal 3 4 5, EOL, run 6 of 7/7, EOL, run 6 of 0x89 alternating, EOB.
    const rle4 = [4, 0x12, 0, 3, 0x34, 0x50, 0, 0, 6, 0x77, 0, 0, 6, 0x89, 0, 1];
    const rows4 = [
      [8, 9, 8, 9, 8, 9],
      [7, 7, 7, 7, 7, 7],
      [1, 2, 1, 2, 3, 4],
    ];
    const pal16 = palette.slice(0, 16);
    const spec4: DibSpec = {
      width: 6,
      height: 3,
      bpp: 4,
      compression: 2,
      rle: rle4,
      palette: pal16,
      pixel: (x, y) => rows4[y][x],
    };
    const data = await decodeSpec(spec4);
    // Row 0 (bottom in the file) ends with literal 5 at x=6, outside the image: dropped.
    expect(data).toEqual(expected(spec4));
  });

  it('matches the PNG fixture when re-encoded as 24-bit top-down and 16-bit', async () => {
    const png = readFileSync(new URL('../fixtures/image-formats/einstein.png', import.meta.url));
    const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const pixel = (x: number, y: number): Rgba => {
      const i = 3 * (y * info.width + x);
      return [data[i], data[i + 1], data[i + 2], 255];
    };
    const ref = [...data];
    for (const spec of [
      { width: info.width, height: info.height, bpp: 24, topDown: true, pixel },
      { width: info.width, height: info.height, bpp: 16, pixel },
    ] as DibSpec[]) {
      const out = await decodeSpec(spec);
      const mad = out.reduce((s, v, i) => s + Math.abs(v - ref[i]), 0) / out.length;
      expect(mad).toBeLessThan(spec.bpp === 24 ? 0.001 : 4);
    }
  });

  it('rejects truncated, unsupported and oversized files before allocating pixels', async () => {
    const bmp = writeBmp({ width: W, height: H, bpp: 24, pixel: colour });
    const message = (p: Promise<unknown>) =>
      p.then(
        () => 'decoded',
        (e: unknown) => (e instanceof UnsupportedImage ? e.message : `unnamed: ${String(e)}`),
      );
    expect(await message(decodeImage(bmp.subarray(0, bmp.length - 30)))).toBe(
      'cannot decode image: truncated or corrupt BMP data',
    );
    expect(await message(decodeImage(bmp.subarray(0, 20)))).toBe(
      'cannot decode image: truncated or corrupt BMP data',
    );
    const huge = bmp.slice();
    new DataView(huge.buffer).setInt32(14 + 4, 100_000, true);
    new DataView(huge.buffer).setInt32(14 + 8, -100_000, true);
    expect(await message(decodeImage(huge))).toBe(
      'image is 100000x100000 pixels, more than the 40000000-pixel limit',
    );
    const jpegInBmp = bmp.slice();
    new DataView(jpegInBmp.buffer).setUint32(14 + 16, 4, true);
    expect(await message(decodeImage(jpegInBmp))).toBe(
      'cannot decode image: BMP with embedded JPEG/PNG data is not supported',
    );
    const badHeader = bmp.slice();
    new DataView(badHeader.buffer).setUint32(14, 20, true);
    expect(await message(decodeImage(badHeader))).toBe('cannot decode image: unknown BMP header size 20');
  });
});

describe('ICO', () => {
  const dib = (spec: Omit<DibSpec, 'icon'>) => writeDib({ ...spec, icon: true }).dib;

  it('decodes an 8-bit DIB entry with its AND mask (masked pixels white)', async () => {
    const ico = writeIco([
      {
        width: W,
        height: H,
        bpp: 8,
        data: dib({ width: W, height: H, bpp: 8, pixel: index(8), palette, andMask: (x) => x === 0 }),
      },
    ]);
    const img = await decodeImage(ico);
    expect([img.width, img.height]).toEqual([W, H]);
    const want = expected({ width: W, height: H, bpp: 8, pixel: index(8) });
    for (let y = 0; y < H; y++) want.splice(3 * y * W, 3, 255, 255, 255);
    expect([...img.data]).toEqual(want);
  });

  it('uses the alpha of a 32-bit DIB entry and picks the largest entry', async () => {
    const masks: [number, number, number, number] = [0xff0000, 0xff00, 0xff, 0xff000000];
    const small = dib({ width: 4, height: 4, bpp: 32, masks, pixel: () => [0, 0, 0, 255] });
    const big = dib({ width: W, height: H, bpp: 32, masks, pixel: (x) => [10, 20, 30, x === 1 ? 0 : 255] });
    const ico = writeIco([
      { width: 4, height: 4, bpp: 32, data: small },
      { width: W, height: H, bpp: 32, data: big },
    ]);
    const img = await decodeImage(ico);
    expect([img.width, img.height]).toEqual([W, H]);
    expect([...img.data.subarray(0, 9)]).toEqual([10, 20, 30, 255, 255, 255, 10, 20, 30]);
  });

  it('decodes a PNG entry, and rejects a directory pointing outside the file', async () => {
    const png = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#102030' } })
      .png()
      .toBuffer();
    const img = await decodeImage(
      writeIco([{ width: 256, height: 256, bpp: 32, data: new Uint8Array(png) }]),
    );
    expect([img.width, img.height, ...img.data.subarray(0, 3)]).toEqual([300, 200, 0x10, 0x20, 0x30]);
    const broken = writeIco([{ width: 16, height: 16, bpp: 32, data: new Uint8Array(40) }]).subarray(0, 30);
    await expect(decodeImage(broken)).rejects.toThrow('cannot decode image: truncated or corrupt ICO data');
    const cut = dib({ width: W, height: H, bpp: 8, pixel: index(8), palette }).subarray(0, 100);
    await expect(decodeImage(writeIco([{ width: W, height: H, bpp: 8, data: cut }]))).rejects.toThrow(
      'cannot decode image: truncated or corrupt ICO data',
    );
  });
});
