// A fake camera for Chromium: a fixture photo letterboxed to 640x480 (grey bars), written as a .y4m file.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { writeY4m } from './y4m.js';

/**
 * The fake camera plays a still photo, which the liveness model rightly finds borderline (its "real"
 * probability hovers around 0.45-0.56 depending on the crop): the camera tests gate enrolment at this instead.
 */
export const MIN_LIVENESS = 0.3;

export async function fakeCamera(photo: string): Promise<{ file: string; args: string[] }> {
  const { data, info } = await sharp(photo)
    .resize(640, 480, { fit: 'contain', background: { r: 128, g: 128, b: 128 } })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const file = join(await mkdtemp(join(tmpdir(), 'visor-camera-')), 'camera.y4m');
  await writeY4m(file, { data, width: info.width, height: info.height, channels: 3 }, 2);
  return {
    file,
    args: [
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      `--use-file-for-fake-video-capture=${file}`,
    ],
  };
}
