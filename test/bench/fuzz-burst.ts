// A fuzz burst for the soak section (issue 19.6): what grew the server's memory after an attack run, replayed
// against the bench server: full-size photos (20 MP, some in crowd mode), a 6000 x 6000 PNG of real rows, and
// broken images from the fuzz test's seeded mutators, 8 at a time. Answers are only counted; what matters is
// the server's memory before and after.
import { readFileSync } from 'node:fs';
import { syntheticPng } from '../image/png.js';
import { mutateImage, seeded } from '../hardening/mutate.js';
import { multipart } from './http.js';
import { photoPath } from './setup.js';

const PHOTOS = ['001_A.jpg', '002_A.jpg', '003_A.jpg', '005_A.jpg'];
const PARALLEL = 8;

export interface BurstResult {
  sent: number;
  seconds: number;
  statuses: Record<number, number>;
}

export async function fuzzBurst(
  port: number,
  apiKey: string,
  count: number,
  seed = 19_006,
): Promise<BurstResult> {
  const r = seeded(seed);
  const photos = PHOTOS.map((f) => new Uint8Array(readFileSync(photoPath(f))));
  const huge = syntheticPng(6000, 6000, { rows: true });
  const statuses: Record<number, number> = {};
  const started = performance.now();
  let next = 0;
  const one = async () => {
    const kind = r.int(10);
    const image = kind < 4 ? r.pick(photos) : kind < 5 ? huge : mutateImage(r, r.pick(photos)).bytes;
    const mode = r.chance(0.3) ? '&detect_mode=crowd' : '';
    const { body, type } = multipart(image);
    const res = await fetch(
      `http://127.0.0.1:${port}/api/v1/recognition/recognize?face_plugins=age,gender${mode}`,
      {
        method: 'POST',
        headers: { 'x-api-key': apiKey, 'content-type': type },
        body: new Uint8Array(body),
      },
    ).catch(() => undefined);
    await res?.arrayBuffer();
    const status = res?.status ?? 0;
    statuses[status] = (statuses[status] ?? 0) + 1;
  };
  await Promise.all(
    Array.from({ length: PARALLEL }, async () => {
      while (next++ < count) await one();
    }),
  );
  return { sent: count, seconds: (performance.now() - started) / 1000, statuses };
}
