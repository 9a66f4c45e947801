// Writes a YUV4MPEG2 file (4:2:0, full-range BT.601 "C420jpeg") from an RGB image, for Chromium's fake camera
// (--use-file-for-fake-video-capture). Width and height must be even.
import { writeFile } from 'node:fs/promises';
import type { RawImage } from '../../shared/image.js';

/** `frames` copies of the image, played at `fps` frames a second. */
export function y4m(image: RawImage, frames = 1, fps = 25): Uint8Array {
  const { width: w, height: h, channels: c, data } = image;
  if (w % 2 || h % 2) throw new RangeError('y4m: width and height must be even');
  const Y = new Uint8Array(w * h);
  const U = new Uint8Array((w / 2) * (h / 2));
  const V = new Uint8Array((w / 2) * (h / 2));
  const clamp = (v: number) => Math.max(0, Math.min(255, Math.round(v)));
  for (let i = 0; i < w * h; i++) {
    Y[i] = clamp(0.299 * data[i * c] + 0.587 * data[i * c + 1] + 0.114 * data[i * c + 2]);
  }
  for (let y = 0; y < h; y += 2)
    for (let x = 0; x < w; x += 2) {
      let cb = 0;
      let cr = 0;
      for (const [dx, dy] of [
        [0, 0],
        [1, 0],
        [0, 1],
        [1, 1],
      ]) {
        const p = ((y + dy) * w + x + dx) * c;
        const [r, g, b] = [data[p], data[p + 1], data[p + 2]];
        cb += 128 - 0.168736 * r - 0.331264 * g + 0.5 * b;
        cr += 128 + 0.5 * r - 0.418688 * g - 0.081312 * b;
      }
      const j = (y / 2) * (w / 2) + x / 2;
      U[j] = clamp(cb / 4);
      V[j] = clamp(cr / 4);
    }
  const header = new TextEncoder().encode(`YUV4MPEG2 W${w} H${h} F${fps}:1 Ip A1:1 C420jpeg\n`);
  const frameHeader = new TextEncoder().encode('FRAME\n');
  const frameSize = frameHeader.length + Y.length + U.length + V.length;
  const out = new Uint8Array(header.length + frames * frameSize);
  out.set(header);
  for (let f = 0; f < frames; f++) {
    let o = header.length + f * frameSize;
    for (const part of [frameHeader, Y, U, V]) {
      out.set(part, o);
      o += part.length;
    }
  }
  return out;
}

export async function writeY4m(path: string, image: RawImage, frames = 1, fps = 25): Promise<void> {
  await writeFile(path, y4m(image, frames, fps));
}

/** A video of segments (each image shown for `frames` frames) at `fps`; every image of one size. */
export async function writeY4mSequence(
  path: string,
  segments: { image: RawImage; frames: number }[],
  fps: number,
): Promise<void> {
  const parts = segments.map((s) => y4m(s.image, s.frames));
  const header = new TextEncoder().encode(
    `YUV4MPEG2 W${segments[0].image.width} H${segments[0].image.height} F${fps}:1 Ip A1:1 C420jpeg\n`,
  );
  const body = parts.map((p) => p.subarray(p.indexOf(10) + 1));
  const out = new Uint8Array(header.length + body.reduce((n, b) => n + b.length, 0));
  out.set(header);
  let o = header.length;
  for (const b of body) {
    out.set(b, o);
    o += b.length;
  }
  await writeFile(path, out);
}
