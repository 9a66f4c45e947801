// CompreFace's own sample photos through the whole server pipeline: its detector test (annotated noses) and
// identity ordering (person A's six photos, B's two, C's one).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalyzeResult, FaceEngine } from '../../shared/engine/types.js';
import { decodeImage } from '../../server/src/image/decode.js';
import { createServerEngine } from '../../server/src/inference/engine.js';

const dir = join(import.meta.dirname, '../fixtures/compreface-samples');
let engine: FaceEngine;
let noses: Record<string, [number, number][]>;
const results = new Map<string, AnalyzeResult>();

beforeAll(async () => {
  engine = await createServerEngine();
  noses = JSON.parse(await readFile(join(dir, 'annotations.json'), 'utf8')).noses;
  for (const file of Object.keys(noses).sort()) {
    const image = await decodeImage(new Uint8Array(await readFile(join(dir, file))));
    results.set(file, await engine.analyze(image, { embed: /_[ABC]\./.test(file) }));
  }
});
afterAll(() => engine?.dispose());

describe("CompreFace's detector test", () => {
  it('puts every annotated nose in its own box, with no extra box at the default threshold', () => {
    const report: string[] = [];
    for (const [file, points] of Object.entries(noses)) {
      const boxes = results.get(file)!.faces.map((f) => f.box);
      const used = new Set<number>();
      for (const [x, y] of points) {
        const i = boxes.findIndex(
          (b, j) => !used.has(j) && x >= b.x_min && x <= b.x_max && y >= b.y_min && y <= b.y_max,
        );
        if (i < 0) report.push(`${file}: nose ${x},${y} not in any box`);
        else used.add(i);
      }
      if (boxes.length > used.size) report.push(`${file}: ${boxes.length - used.size} extra box(es)`);
    }
    expect(report).toEqual([]);
  });

  it('finds no face in 017_0.jpg', () => {
    expect(results.get('017_0.jpg')!.faces).toEqual([]);
  });

  it('reports faces biggest first with five landmarks inside the box', () => {
    for (const r of results.values()) {
      const areas = r.faces.map((f) => (f.box.x_max - f.box.x_min) * (f.box.y_max - f.box.y_min));
      expect(areas).toEqual([...areas].sort((a, b) => b - a));
      for (const f of r.faces) {
        expect(f.landmarks).toHaveLength(5);
        const slack = 0.1 * (f.box.x_max - f.box.x_min);
        for (const [x, y] of f.landmarks) {
          expect(x).toBeGreaterThanOrEqual(f.box.x_min - slack);
          expect(x).toBeLessThanOrEqual(f.box.x_max + slack);
          expect(y).toBeGreaterThanOrEqual(f.box.y_min - slack);
          expect(y).toBeLessThanOrEqual(f.box.y_max + slack);
        }
        const [le, re, nose, ml, mr] = f.landmarks;
        expect(le[0]).toBeLessThan(re[0]);
        expect(ml[0]).toBeLessThan(mr[0]);
        expect(nose[1]).toBeGreaterThan((le[1] + re[1]) / 2);
      }
    }
  });
});

describe("face probability on CompreFace's scale (issue 13)", () => {
  // CompreFace scores a clear face about 0.999 and clients send det_prob_threshold 0.8-0.99 ("minimum required
  // confidence that a recognized face is actually a face", CompreFace's REST API docs, shared/seed/compreface-docs.txt).
  it('scores the faces of persons A, B and C 0.99 or more and every annotated face 0.85 or more, 5 decimals', () => {
    for (const [file, r] of results) {
      for (const f of r.faces) {
        expect(f.box.probability, file).toBeGreaterThanOrEqual(/_[ABC]\./.test(file) ? 0.99 : 0.85);
        expect(f.box.probability).toBeLessThanOrEqual(1);
        expect(Math.round(f.box.probability * 1e5) / 1e5).toBe(f.box.probability);
      }
    }
  });
});

describe('identity', () => {
  it('scores every same-person pair above every different-person pair', () => {
    const people = [...results.entries()]
      .filter(([file]) => /_[ABC]\./.test(file))
      .map(([file, r]) => {
        expect(r.faces, file).toHaveLength(1);
        const e = r.faces[0].embedding!;
        expect(e).toHaveLength(engine.embeddingSize);
        expect(Math.hypot(...e)).toBeCloseTo(1, 4);
        return { file, person: file.split('_')[1][0], e };
      });
    expect(people).toHaveLength(9);
    const same: number[] = [];
    const different: number[] = [];
    for (let i = 0; i < people.length; i++)
      for (let j = i + 1; j < people.length; j++)
        (people[i].person === people[j].person ? same : different).push(
          engine.similarity(people[i].e, people[j].e),
        );
    expect(Math.min(...same)).toBeGreaterThan(Math.max(...different));
    expect(Math.min(...same)).toBeGreaterThan(0.5);
    expect(Math.max(...different)).toBeLessThan(0.5);
  });
});

describe('huge photos analysed reduced (ANALYSIS_MAX_SIDE)', () => {
  it('reports the same face in source pixels as the full-size analysis', async () => {
    const bytes = new Uint8Array(await readFile(join(dir, '001_A.jpg'))); // 4912x7360
    const reduced = await decodeImage(bytes, { maxSide: 1600 });
    expect(Math.max(reduced.width, reduced.height)).toBe(1600);
    const small = await engine.analyze(reduced, { embed: true, plugins: ['landmarks3d'] });
    const full = results.get('001_A.jpg')!;
    expect([small.width, small.height]).toEqual([full.width, full.height]);
    expect(small.faces).toHaveLength(1);
    const [a, b] = [small.faces[0], full.faces[0]];
    const side = b.box.x_max - b.box.x_min;
    for (const k of ['x_min', 'y_min', 'x_max', 'y_max'] as const)
      expect(Math.abs(a.box[k] - b.box[k])).toBeLessThan(0.03 * side);
    a.landmarks.forEach(([x, y], i) => {
      expect(Math.abs(x - b.landmarks[i][0])).toBeLessThan(0.03 * side);
      expect(Math.abs(y - b.landmarks[i][1])).toBeLessThan(0.03 * side);
    });
    // the mesh lands on the face in source pixels too
    const [mx, my] = a.landmarks3d![1];
    expect(mx).toBeGreaterThan(b.box.x_min);
    expect(my).toBeLessThan(b.box.y_max);
    expect(engine.similarity(a.embedding!, b.embedding!)).toBeGreaterThan(0.95);
  });
});
