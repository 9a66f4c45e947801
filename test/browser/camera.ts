// A fake camera for Chromium: a fixture photo letterboxed to 640x480 (grey bars), written as a .y4m file.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rename } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { writeY4m, writeY4mSequence } from './y4m.js';

/**
 * The fake camera plays a still photo, which the liveness model rightly finds borderline (its "real"
 * probability hovers around 0.45-0.56 depending on the crop): the camera tests gate enrolment at this instead.
 */
export const MIN_LIVENESS = 0.3;

/** A photo letterboxed to 640x480 RGB; null gives the grey frame alone (nobody in view). */
async function letterboxed(photo: string | null) {
  const grey = { r: 128, g: 128, b: 128 };
  const source = photo
    ? sharp(photo)
    : sharp({ create: { width: 640, height: 480, channels: 3, background: grey } });
  const { data, info } = await source
    .resize(640, 480, { fit: 'contain', background: { r: 128, g: 128, b: 128 } })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: 3 as const };
}

const cameraArgs = (file: string) => [
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  `--use-file-for-fake-video-capture=${file}`,
];

/**
 * A fake camera showing a still photo at `fps` frames a second (Chromium plays the file's rate; the kiosk analyses
 * each new frame once, so the rate sets how busy a kiosk under test keeps the CPU: the benches ask for 25).
 */
export async function fakeCamera(photo: string, fps = 25): Promise<{ file: string; args: string[] }> {
  const file = join(await mkdtemp(join(tmpdir(), 'visor-camera-')), 'camera.y4m');
  await writeY4m(file, await letterboxed(photo), 2, fps);
  return { file, args: cameraArgs(file) };
}

/** What a kept camera file is made from besides its photo and rate: this file and the y4m writer. */
const SOURCES = [fileURLToPath(import.meta.url), fileURLToPath(new URL('./y4m.ts', import.meta.url))];

/**
 * fakeCamera(photo, fps) kept in the temp folder under a name made of what it is made from (the photo's bytes, the
 * rate, this file and y4m.ts), so the suites and the runs after reuse it: the same file gives the same launch
 * arguments, so the suites showing one photo share one Chromium (sharedBrowser). Chromium opens the file afresh at
 * each capture start; a still photo shows the same frame throughout anyway.
 */
export async function keptFakeCamera(photo: string, fps: number): Promise<{ file: string; args: string[] }> {
  const hash = createHash('sha256')
    .update(`${fps}`)
    .update(await readFile(photo));
  for (const source of SOURCES) hash.update(await readFile(source));
  const file = join(tmpdir(), `visor-camera-${hash.digest('hex').slice(0, 16)}.y4m`);
  if (!existsSync(file)) {
    // written under a name of its own, then renamed: a suite running beside this one never reads half a file
    const part = `${file}.${process.pid}.part`;
    await writeY4m(part, await letterboxed(photo), 2, fps);
    await rename(part, file);
  }
  return { file, args: cameraArgs(file) };
}

/** A fake camera playing scenes in a loop: each photo (null = nobody) for its seconds, at `fps` frames a second. */
export async function fakeCameraScenes(
  scenes: { photo: string | null; seconds: number }[],
  fps = 5,
): Promise<{ file: string; args: string[] }> {
  const file = join(await mkdtemp(join(tmpdir(), 'visor-camera-')), 'camera.y4m');
  const segments = [];
  for (const s of scenes)
    segments.push({ image: await letterboxed(s.photo), frames: Math.max(1, Math.round(s.seconds * fps)) });
  await writeY4mSequence(file, segments, fps);
  return { file, args: cameraArgs(file) };
}
