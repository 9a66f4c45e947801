// `bin/visor detect|embed|compare` print the documented JSON lines on real photos.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = join(import.meta.dirname, '../..');
const sample = (f: string) => join(root, 'test/fixtures/compreface-samples', f);
const visor = (...args: string[]) =>
  run(join(root, 'bin/visor'), args, { cwd: root }).catch((e: { stdout: string; code: number }) => ({
    stdout: e.stdout,
    code: e.code,
  }));

// Each call starts a process that loads the models: allow for a slow, shared CI machine.
describe('visor CLI', { timeout: 300_000 }, () => {
  it('detect: one JSON line per image, faces biggest first, errors per file', async () => {
    const { stdout } = await visor(
      'detect',
      sample('010_2.jpg'),
      sample('017_0.jpg'),
      join(root, 'test/fixtures/image-formats/truncated.jpg'),
    );
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.file)).toEqual([
      sample('010_2.jpg'),
      sample('017_0.jpg'),
      join(root, 'test/fixtures/image-formats/truncated.jpg'),
    ]);
    const faces = lines[0].faces;
    expect(faces).toHaveLength(2);
    for (const f of faces) {
      expect(Object.keys(f.box).sort()).toEqual(['probability', 'x_max', 'x_min', 'y_max', 'y_min']);
      expect(f.landmarks).toHaveLength(5);
      expect(f.embedding).toBeUndefined();
    }
    const area = (f: (typeof faces)[number]) => (f.box.x_max - f.box.x_min) * (f.box.y_max - f.box.y_min);
    expect(area(faces[0])).toBeGreaterThanOrEqual(area(faces[1]));
    expect(lines[1].faces).toEqual([]);
    expect(lines[2].faces).toEqual([]);
    expect(typeof lines[2].error).toBe('string');
  });

  it('embed prints unit-length embeddings; compare prints a similarity', async () => {
    const { stdout } = await visor('embed', sample('007_B.jpg'), sample('009_C.jpg'));
    const [b, c] = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).faces[0].embedding as number[]);
    for (const e of [b, c]) {
      expect(e).toHaveLength(512);
      expect(Math.hypot(...e)).toBeCloseTo(1, 3);
    }
    expect(Math.hypot(...b.map((v, i) => v - c[i]))).toBeGreaterThan(0.5);
    const same = JSON.parse((await visor('compare', sample('007_B.jpg'), sample('008_B.jpg'))).stdout);
    expect(same).toMatchObject({ a: sample('007_B.jpg'), b: sample('008_B.jpg') });
    expect(same.similarity).toBeGreaterThan(0.5);
  });
});
