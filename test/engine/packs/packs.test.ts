// Bring your own ONNX: SCRFD decoding against known boxes, and the models folder's loader on small graphs with the
// signatures of InsightFace's packs (valid ones offered, bad ones listed with the file and what is wrong).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableModels, profilesOf } from '../../../shared/engine/profiles.js';
import { decodeScrfd, scrfdAnchors } from '../../../shared/engine/scrfd.js';
import { describedEntry, PackError } from '../../../shared/engine/packs.js';
import { DEFAULT_MODELS_DIR } from '../../../server/src/inference/engine.js';
import { loadModelSet, type ModelSet } from '../../../server/src/inference/packs.js';
import { identityEmbedder, scrfdHead, type KnownFace } from './graphs.js';

const FACE: KnownFace = {
  box: [200, 180, 330, 350],
  kps: [
    [240, 250],
    [290, 251],
    [265, 285],
    [245, 315],
    [287, 316],
  ],
  score: 0.93,
  stride: 16,
  // cell (16, 16) → anchor centre (256, 256), second anchor of the cell
  anchor: (16 * 40 + 16) * 2 + 1,
};

describe('SCRFD decoding', () => {
  it('lays anchors out row by row, two per cell, at the cells’ corners', () => {
    const a = scrfdAnchors(640, 640, 32, 2);
    expect(a.length).toBe(20 * 20 * 2 * 2);
    expect([...a.subarray(0, 8)]).toEqual([0, 0, 0, 0, 32, 0, 32, 0]);
    expect([a[2 * 40], a[2 * 40 + 1]]).toEqual([0, 32]);
  });

  it('turns distances in strides back into the box and keypoints (distance2bbox, distance2kps)', () => {
    const anchors = scrfdAnchors(64, 64, 16, 2);
    const n = anchors.length / 2;
    const scores = new Float32Array(n);
    const bboxes = new Float32Array(4 * n);
    const kps = new Float32Array(10 * n);
    const i = (1 * 4 + 2) * 2; // cell (2, 1): centre (32, 16)
    scores[i] = 0.8;
    bboxes.set([1, 0.5, 2, 3], 4 * i);
    kps.set([-1, 0, 1, 0, 0, 1, -0.5, 2, 0.5, 2], 10 * i);
    const [c, ...rest] = decodeScrfd([{ stride: 16, anchors, scores, bboxes, kps }], 0.5);
    expect(rest).toEqual([]);
    expect(c).toMatchObject({ x1: 16, y1: 8, x2: 64, y2: 64, score: expect.closeTo(0.8, 6) });
    // le, re, nose, mouth centre (added for the engine), mouth left, mouth right
    expect(c.keypoints).toEqual([
      [16, 16],
      [48, 16],
      [32, 32],
      [32, 48],
      [24, 48],
      [40, 48],
    ]);
  });

  it('refuses outputs shorter than the anchors', () => {
    const anchors = scrfdAnchors(64, 64, 16, 2);
    const short = new Float32Array(3);
    expect(() => decodeScrfd([{ stride: 16, anchors, scores: short, bboxes: short }], 0.5)).toThrow(
      RangeError,
    );
  });
});

describe('pack descriptions', () => {
  it('names every missing or wrong JSON field with the JSON file', () => {
    const json = { task: 'embedder', input: { size: [112, 112], mean: 127.5, std: 0 }, alignment: 'arcface' };
    const err = (() => {
      try {
        describedEntry('p', 'm.onnx', json);
      } catch (e) {
        return e as PackError;
      }
    })();
    expect(err).toBeInstanceOf(PackError);
    expect(err!.file).toBe('m.json');
    expect(err!.problem).toContain('input.colorOrder');
    expect(err!.problem).toContain('input.std');
    expect(err!.problem).toContain('output.dims');
    expect(err!.problem).not.toContain('alignment');
  });
});

describe('the models folder', () => {
  let dir: string;
  let set: ModelSet;
  const logged: string[] = [];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'visor-packs-'));
    const put = async (path: string, data: Uint8Array | string) => {
      await mkdir(join(dir, path, '..'), { recursive: true });
      await writeFile(join(dir, path), data);
    };
    // an InsightFace-shaped pack, recognised by its file names
    await put('buffalo_t/det_10g.onnx', scrfdHead([FACE]));
    await put('buffalo_t/w600k_r50.onnx', identityEmbedder({ batch: 'None' }));
    await put('buffalo_t/1k3d68.onnx', identityEmbedder());
    // any embedder with its JSON
    await put('custom/tiny.onnx', identityEmbedder({ size: 98 }));
    await put(
      'custom/tiny.json',
      JSON.stringify({
        task: 'embedder',
        input: { size: [98, 98], colorOrder: 'BGR', mean: [0, 0, 0], std: 255 },
        alignment: 'arcface',
        output: { dims: 392 },
        calibration: { c0: 0.9, c1: 10 },
      }),
    );
    // bad ones
    await put('bad/w600k_small.onnx', identityEmbedder({ size: 96 }));
    await put('bad/det_text.onnx', 'this is not an ONNX model');
    await put('bad/det_nokps.onnx', scrfdHead([FACE], { withKps: false }));
    await put('bad/nofield.onnx', identityEmbedder());
    await put('bad/nofield.json', JSON.stringify({ task: 'embedder', input: { size: [112, 112] } }));
    await put('bad/wrongdims.onnx', identityEmbedder());
    await put(
      'bad/wrongdims.json',
      JSON.stringify({
        task: 'embedder',
        input: { size: [112, 112], colorOrder: 'RGB', mean: 127.5, std: 127.5 },
        alignment: 'arcface',
        output: { dims: 128 },
      }),
    );
    await put('loose.onnx', identityEmbedder());
    set = await loadModelSet(DEFAULT_MODELS_DIR, dir, (_m, f) => logged.push(String(f.reason)));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const report = (file: string) => set.packs.find((p) => p.file === file)!;

  it('offers the valid packs beside the built-in models, with their profiles', () => {
    const { detectors, embedders } = availableModels(set.catalog);
    expect(detectors.map((d) => d.id)).toEqual(['blazeface-back', 'blazeface-front', 'buffalo_t.det_10g']);
    expect(embedders.map((e) => [e.id, e.dims, e.origin])).toEqual([
      ['faceplugin-recognition', 512, 'built-in'],
      ['faceapi-recognition', 128, 'built-in'],
      ['buffalo_t.w600k_r50', 512, 'pack'],
      ['custom.tiny', 392, 'pack'],
    ]);
    const arc = profilesOf(set.catalog).embedder('buffalo_t.w600k_r50');
    expect(arc).toMatchObject({
      chipSize: 112,
      alignment: 'five-point',
      mirror: false,
      version: 'buffalo_t.w600k_r50@1',
    });
    expect(arc.input).toMatchObject({
      name: 'input.1',
      colorOrder: 'RGB',
      mean: [127.5, 127.5, 127.5],
      std: [127.5, 127.5, 127.5],
    });
    expect(arc.output.name).toBe('683');
    const tiny = profilesOf(set.catalog).embedder('custom.tiny');
    expect(tiny).toMatchObject({ chipSize: 98, calibration: { c0: 0.9, c1: 10 } });
    expect(tiny.input).toMatchObject({ colorOrder: 'BGR', std: [255, 255, 255] });
    expect(tiny.template[0][0]).toBeCloseTo((38.2946 * 98) / 112, 4);
    const det = profilesOf(set.catalog).detector('buffalo_t.det_10g');
    expect(det).toMatchObject({ format: 'scrfd', strides: [8, 16, 32], anchorsPerCell: 2 });
    expect(det.input).toMatchObject({ width: 640, height: 640, colorOrder: 'RGB', std: [128, 128, 128] });
    expect(set.files['pack.buffalo_t.w600k_r50.onnx']).toBe(join(dir, 'buffalo_t/w600k_r50.onnx'));
    expect(set.catalog.models['buffalo_t.det_10g'].sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('lists each bad file as invalid with the file and what is wrong, and logs it', () => {
    expect(report('w600k_small.onnx')).toMatchObject({ status: 'invalid' });
    expect(report('w600k_small.onnx').reason).toMatch(
      /^w600k_small\.onnx: input input\.1 has shape \[1, 3, 96, 96\], expected \[1, 3, 112, 112\]/,
    );
    expect(report('det_text.onnx').reason).toMatch(/^det_text\.onnx: not an ONNX model onnxruntime can open/);
    // the folder is not disclosed (the reasons are served at /models/packs.json)
    for (const p of set.packs) expect(p.reason ?? '').not.toContain(dir);
    expect(report('det_nokps.onnx').reason).toMatch(
      /^det_nokps\.onnx: no kps output \[12800, 10\] for stride 8/,
    );
    expect(report('nofield.onnx').reason).toMatch(
      /^nofield\.json: input\.colorOrder: expected "RGB" or "BGR"; input\.mean/,
    );
    expect(report('wrongdims.onnx').reason).toBe(
      'wrongdims.onnx: output 683 has 512 values, the JSON says output.dims 128',
    );
    expect(report('loose.onnx')).toMatchObject({
      status: 'invalid',
      reason: 'put it in a folder of its own (its pack)',
    });
    expect(report('1k3d68.onnx')).toMatchObject({ status: 'ignored' });
    expect(logged).toHaveLength(5);
    for (const id of ['bad.w600k_small', 'bad.det_text', 'bad.det_nokps', 'bad.nofield', 'bad.wrongdims'])
      expect(set.catalog.models[id]).toBeUndefined();
  });
});
