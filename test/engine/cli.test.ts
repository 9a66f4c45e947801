// `bin/visor detect|embed|compare` print the documented JSON lines on real photos, for files, folders
// (recursive, image extensions only) and path lists (`--files-from`, stdin), thousands at a time.
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const sample = (f: string) => join(root, 'test/fixtures/compreface-samples', f);

interface Ran {
  stdout: string;
  stderr: string;
  code: number;
}

/** Runs bin/visor (the built CLI) with `args`, `stdin` piped in; never rejects. */
const visorWith = (stdin: string | undefined, ...args: string[]) =>
  new Promise<Ran>((resolve) => {
    const child = execFile(
      join(root, 'bin/visor'),
      args,
      { cwd: root, maxBuffer: 256 * 1024 * 1024 },
      (error, stdout, stderr) =>
        resolve({ stdout, stderr, code: error ? ((error as { code?: number }).code ?? 1) : 0 }),
    );
    child.stdin?.end(stdin ?? '');
  });
const visor = (...args: string[]) => visorWith(undefined, ...args);
const parseLines = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { file: string; faces: unknown[]; error?: string });

/** The three files of the first test: two faces, no face, a truncated JPEG. */
const DETECT_FIRST = [
  sample('010_2.jpg'),
  sample('017_0.jpg'),
  join(root, 'test/fixtures/image-formats/truncated.jpg'),
];

/** Small real photos keep 2,000 inputs quick: a face (007_B) and no face (017_0), 160 px wide. */
let dir: string;
let face: string;
let noFace: string;
/**
 * One path in REAL_EVERY is a real photo, face and no face in turn: 40 analyses (each ~20 ms of CPU) among 1,960
 * instant ENOENT answers still put slow and fast inputs side by side throughout the run, which is what the order
 * check needs (every tenth, 200 analyses, cost ~4 core-s more).
 */
const REAL_EVERY = 50;
const isReal = (i: number) => i % REAL_EVERY === 0;
/** The 2,000 paths of the command-line test (made in beforeAll, as they name the temp folder). */
let manyPaths: string[];
/**
 * One `detect --jobs 2` run serves the first test (DETECT_FIRST, its first three lines) and the 2,000-path test (the
 * lines after them): every child loads the models, so the two checks share one (both expect exit code 1).
 */
let detectRun: Promise<Ran> | undefined;
const sharedDetect = () => (detectRun ??= visor('detect', '--jobs', '2', ...DETECT_FIRST, ...manyPaths));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'visor-cli-'));
  face = join(dir, 'face.jpg');
  noFace = join(dir, 'no-face.jpg');
  await sharp(sample('007_B.jpg')).resize(160).jpeg().toFile(face);
  await sharp(sample('017_0.jpg')).resize(160).jpeg().toFile(noFace);
  // Long paths (~100 bytes each, ~200 KB of argv: 500 paths crashed before); every REAL_EVERY-th is a real photo,
  // the others do not exist and get their own error line without stopping the run.
  const pad = 'x'.repeat(60);
  manyPaths = Array.from({ length: 2000 }, (_, i) =>
    isReal(i) ? (i % (2 * REAL_EVERY) === 0 ? face : noFace) : join(dir, `${pad}-missing-${i}.jpg`),
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// Each call starts a process that loads the models: allow for a slow, shared CI machine.
describe('visor CLI', { timeout: 300_000 }, () => {
  it('detect: one JSON line per image, faces biggest first, errors per file', async () => {
    const { stdout, code } = await sharedDetect();
    const lines = stdout
      .trim()
      .split('\n')
      .slice(0, DETECT_FIRST.length)
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.file)).toEqual(DETECT_FIRST);
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
    expect(code).toBe(1); // a file failed
  });

  it('embed prints unit-length embeddings', async () => {
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
  });

  describe('many inputs', () => {
    it('takes 2,000 paths on the command line (no stack overflow) and answers each in order', async () => {
      const { stdout, stderr, code } = await sharedDetect();
      expect(stderr).toBe(''); // no progress bar when stderr is not a terminal
      const out = parseLines(stdout).slice(DETECT_FIRST.length);
      expect(out.map((l) => l.file)).toEqual(manyPaths);
      out.forEach((l, i) => {
        if (!isReal(i)) expect(l.error).toMatch(/ENOENT/);
        else {
          expect(l.error).toBeUndefined();
          expect(l.faces.length > 0).toBe(i % (2 * REAL_EVERY) === 0);
        }
      });
      expect(code).toBe(1);
    });

    it('walks folders for image files, reads --files-from - (stdin), draws a progress bar when asked; compare prints a similarity', async () => {
      const tree = join(dir, 'tree');
      await mkdir(join(tree, 'b', 'deeper'), { recursive: true });
      await copyFile(face, join(tree, 'b', 'deeper', 'one.JPG'));
      await copyFile(noFace, join(tree, 'a.jpeg'));
      await writeFile(join(tree, 'b', 'notes.txt'), 'not an image');
      await copyFile(face, join(tree, 'b', 'face.bin')); // not an image extension: left out
      const listed = join(dir, 'listed.jpg');
      await copyFile(face, listed);
      const { stdout, stderr, code } = await visorWith(
        `${listed}\n\n`,
        'detect',
        '--progress',
        '--files-from',
        '-',
        tree,
      );
      expect(parseLines(stdout).map((l) => l.file)).toEqual([
        join(tree, 'a.jpeg'),
        join(tree, 'b', 'deeper', 'one.JPG'),
        listed,
      ]);
      expect(code).toBe(0);
      expect(stderr).toContain('detect [');
      expect(stderr).toContain('3/3 100%');

      const cmp = await visor('compare', sample('007_B.jpg'), sample('008_B.jpg'), tree);
      const rows = cmp.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(rows.map((r) => r.b)).toEqual([
        sample('008_B.jpg'),
        join(tree, 'a.jpeg'),
        join(tree, 'b', 'deeper', 'one.JPG'),
      ]);
      // the reference against one other photo of the same person (this line once came from a compare of its own)
      expect(rows[0]).toMatchObject({ a: sample('007_B.jpg'), b: sample('008_B.jpg') });
      expect(rows[0].similarity).toBeGreaterThan(0.5);
      expect(rows[1]).toEqual({
        a: sample('007_B.jpg'),
        b: join(tree, 'a.jpeg'),
        error: `no face found in ${join(tree, 'a.jpeg')}`,
      });
      expect(typeof rows[2].similarity).toBe('number');
      expect(cmp.code).toBe(1);

      expect((await visor('detect', '--jobs', '0', face)).code).toBe(2);
      const textOnly = join(dir, 'text-only');
      await mkdir(textOnly);
      await writeFile(join(textOnly, 'readme.txt'), 'no images here');
      const none = await visor('embed', '--no-progress', textOnly);
      expect(none.code).toBe(2);
      expect(none.stderr).toContain('no images found');
    });
  });
});
