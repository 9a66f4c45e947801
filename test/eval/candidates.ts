// `npx tsx test/eval/candidates.ts [--json FILE] [--crops DIR]`: every candidate the accurate plan hands to the
// face-mesh check on the development sets, with the check's verdict and second opinions on the ones it rejects
// (issue 14's recall diagnosis). Each rejected candidate is labelled against the annotations: `miss` (the only box
// on a face nothing else found), `dup` (a face already found), `hard`, `none` (no face: a false box if kept), or
// `?` on the count-only set. Second opinions: MediaPipe's full-range detector (facemesh-detection-full) on a crop
// around the candidate (best score at IoU ≥ 0.5, keypoint distance), BlazeFace's keypoint geometry, face-mesh
// presence on the eye half, the embedder's raw embedding norm, the anti-spoof head.
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { loadConfig } from '../../server/src/config.js';
import { decodeImage } from '../../server/src/image/decode.js';
import { OrtSessionProvider, readManifest } from '../../server/src/inference/ort.js';
import type { RawImage } from '../../shared/image.js';
import { ChipEmbedder, orientedSquare } from '../../shared/engine/align.js';
import { rectToAffine, type Affine } from '../../shared/engine/affine.js';
import { l2normalize } from '../../shared/engine/similarity.js';
import { BlazeFaceDetector, DEFAULT_DETECTOR_SETTINGS } from '../../shared/engine/detector.js';
import { rawScoreFor } from '../../shared/engine/face-probability.js';
import { inputDims } from '../../shared/engine/manifest.js';
import { maskProbability } from '../../shared/engine/mask-rescue.js';
import { candidateRescue } from '../../shared/engine/quality-rescue.js';
import { iou, type Candidate } from '../../shared/engine/nms.js';
import { mirrorTensor, warpToTensor } from '../../shared/engine/preprocess.js';
import { inputProfile } from '../../shared/engine/profiles.js';
import { FaceVerifier, rememberedCheck } from '../../shared/engine/verify.js';
import type { Point } from '../../shared/engine/types.js';
import type { XYWH } from './boxes.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const evalData = resolve(root, '../shared/data/eval');
const MAX_SIDE = loadConfig().analysisMaxSide;

type Label = 'miss' | 'dup' | 'hard' | 'none' | '?' | 'kept';
interface Row {
  set: string;
  file: string;
  box: [number, number, number, number];
  label: Label;
  score: number;
  presence: number;
  mask?: number;
  /** facemesh-detection-full's best score at IoU ≥ 0.5 on crops 2x and 3x the candidate, and its keypoint error. */
  full2: number;
  full3: number;
  kpErr: number;
  /** BlazeFace keypoints: eye distance / box width, nose and mouth offsets along the face's axis / eye distance. */
  eyeRatio: number;
  noseDown: number;
  mouthDown: number;
  noseSide: number;
  /** face-mesh presence on a crop centred on the eyes (the upper half). */
  upper: number;
  norm: number;
  spoof: number;
  /** Re-scored on a crop centred on the candidate: blazeface-back (2.5x), blazeface-front (2x; facemesh-detection-short gives the same scores). */
  back: number;
  front: number;
  /** Cosine between the chip's embedding and its mirror image's, and the least over jittered chips (scale, shift). */
  mirrorCos: number;
  jitterCos: number;
}

const { values } = parseArgs({
  options: {
    json: { type: 'string' },
    crops: { type: 'string' },
    floor: { type: 'string' },
    kept: { type: 'boolean' },
  },
});

const modelsDir = join(root, 'models');
const catalog = await readManifest(modelsDir);
const sessions = new OrtSessionProvider(modelsDir, catalog, {});
const info = (id: string) => catalog.models[id];
const detector = new BlazeFaceDetector(await sessions.load('blazeface-back'), info('blazeface-back'));
const full = new BlazeFaceDetector(
  await sessions.load('facemesh-detection-full'),
  info('facemesh-detection-full'),
);
const rescorers = await Promise.all(
  (['blazeface-back', 'blazeface-front'] as const).map(
    async (id) => new BlazeFaceDetector(await sessions.load(id), info(id)),
  ),
);
const verifier = new FaceVerifier(await sessions.load('facemesh'), info('facemesh'));
const embSession = await sessions.load('faceplugin-recognition');
const embedder = new ChipEmbedder(embSession, info('faceplugin-recognition'));
const spoofSession = await sessions.load('antispoof');
const spoofSpec = inputProfile(info('antispoof'));
const meshSession = await sessions.load('facemesh');
const meshSpec = inputProfile(info('facemesh'));
const threshold = rawScoreFor(DEFAULT_DETECTOR_SETTINGS.threshold);
/** Candidates down to this raw score are listed (default: the default threshold's). */
const floor = values.floor ? Number(values.floor) : threshold;

async function load(path: string): Promise<RawImage> {
  return decodeImage(new Uint8Array(await readFile(path)), { maxSide: MAX_SIDE });
}

const side = (c: Candidate) => Math.max(c.x2 - c.x1, c.y2 - c.y1);
const centre = (c: Candidate): Point => [(c.x1 + c.x2) / 2, (c.y1 + c.y2) / 2];

async function fullOpinion(image: RawImage, c: Candidate, k: number, det = full): Promise<[number, number]> {
  const s = side(c) * k;
  const input = det === full ? 192 : det === rescorers[0] ? 256 : 128;
  const [cx, cy] = centre(c);
  const view = {
    toImage: rectToAffine(cx - s / 2, cy - s / 2, s, s, input, input),
    rect: [cx - s / 2, cy - s / 2, cx + s / 2, cy + s / 2] as [number, number, number, number],
    innerEdges: [false, false, false, false] as [boolean, boolean, boolean, boolean],
  };
  const [found] = await det.detectViews(image, [view], 0.05);
  let best = 0;
  let err = Infinity;
  for (const f of found) {
    if (iou(f, c) < 0.5 || f.score <= best) continue;
    best = f.score;
    const eye = Math.max(
      1,
      Math.hypot(c.keypoints[1][0] - c.keypoints[0][0], c.keypoints[1][1] - c.keypoints[0][1]),
    );
    err = Math.max(
      ...[0, 1, 2, 3].map(
        (i) => Math.hypot(f.keypoints[i][0] - c.keypoints[i][0], f.keypoints[i][1] - c.keypoints[i][1]) / eye,
      ),
    );
  }
  return [best, err];
}

function geometry(c: Candidate) {
  const [le, re, nose, mouth] = c.keypoints;
  const mid: Point = [(le[0] + re[0]) / 2, (le[1] + re[1]) / 2];
  const e = Math.max(1e-6, Math.hypot(re[0] - le[0], re[1] - le[1]));
  const u: Point = [(re[0] - le[0]) / e, (re[1] - le[1]) / e];
  const v: Point = [-u[1], u[0]];
  const along = (p: Point, a: Point) => ((p[0] - mid[0]) * a[0] + (p[1] - mid[1]) * a[1]) / e;
  return {
    eyeRatio: e / (c.x2 - c.x1),
    noseDown: along(nose, v),
    mouthDown: along(mouth, v),
    noseSide: along(nose, u),
  };
}

async function upperPresence(image: RawImage, c: Candidate): Promise<number> {
  const [le, re] = c.keypoints;
  const angle = Math.atan2(re[1] - le[1], re[0] - le[0]);
  const s = side(c) * 1.4;
  const data = warpToTensor(
    image,
    orientedSquare((le[0] + re[0]) / 2, (le[1] + re[1]) / 2, s, angle, 192),
    meshSpec,
  );
  const out = await meshSession.run({ [meshSession.inputNames[0]]: { data, dims: inputDims(meshSpec) } });
  return out.faceflag.data[0];
}

async function rawNorm(image: RawImage, c: Candidate): Promise<number> {
  const spec = embedder.spec;
  const data = warpToTensor(image, embedder.chipAffineFromKeypoints(c.keypoints), spec);
  const out = await embSession.run({ [embSession.inputNames[0]]: { data, dims: inputDims(spec) } });
  const e = out[embSession.outputNames[0]].data;
  return Math.sqrt(e.reduce((s, x) => s + x * x, 0));
}

async function rawEmbedding(image: RawImage, chip: Affine, mirror = false): Promise<Float32Array> {
  const spec = embedder.spec;
  const n = spec.width * spec.height * 3;
  const both = new Float32Array(2 * n);
  warpToTensor(image, chip, spec, both, 0);
  mirrorTensor(both, spec, 0, n);
  const data = both.subarray(mirror ? n : 0, mirror ? 2 * n : n);
  const out = await embSession.run({ [embSession.inputNames[0]]: { data, dims: inputDims(spec) } });
  return l2normalize(Float32Array.from(out[embSession.outputNames[0]].data));
}

async function stability(image: RawImage, c: Candidate): Promise<{ mirrorCos: number; jitterCos: number }> {
  const chip = embedder.chipAffineFromKeypoints(c.keypoints);
  const e = await rawEmbedding(image, chip);
  const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i], 0);
  const mirrorCos = dot(e, await rawEmbedding(image, chip, true));
  let jitterCos = 1;
  const size = embedder.spec.width;
  for (const [k, dx, dy] of [
    [1.1, 0, 0],
    [0.9, 0, 0],
    [1, 0.06, 0],
    [1, 0, 0.06],
  ]) {
    // scale about the chip centre and shift by a fraction of the chip, in chip coordinates
    const h = size / 2;
    const j: Affine = [k, 0, h - k * h + dx * size, 0, k, h - k * h + dy * size];
    const m: Affine = [
      chip[0] * j[0] + chip[1] * j[3],
      chip[0] * j[1] + chip[1] * j[4],
      chip[0] * j[2] + chip[1] * j[5] + chip[2],
      chip[3] * j[0] + chip[4] * j[3],
      chip[3] * j[1] + chip[4] * j[4],
      chip[3] * j[2] + chip[4] * j[5] + chip[5],
    ];
    jitterCos = Math.min(jitterCos, dot(e, await rawEmbedding(image, m)));
  }
  return { mirrorCos, jitterCos };
}

async function spoof(image: RawImage, c: Candidate): Promise<number> {
  const [cx, cy] = centre(c);
  const data = warpToTensor(image, orientedSquare(cx, cy, side(c), 0, 128), spoofSpec);
  const out = await spoofSession.run({ [spoofSession.inputNames[0]]: { data, dims: inputDims(spoofSpec) } });
  return out.real.data[0];
}

const matches = (face: XYWH, b: readonly number[]) => {
  const [x, y, w, h] = face;
  const [cx, cy] = [x + w / 2, y + h / 2];
  if (cx >= b[0] && cx <= b[2] && cy >= b[1] && cy <= b[3]) return true;
  const iw = Math.min(x + w, b[2]) - Math.max(x, b[0]);
  const ih = Math.min(y + h, b[3]) - Math.max(y, b[1]);
  if (iw <= 0 || ih <= 0) return false;
  return (iw * ih) / (w * h + (b[2] - b[0]) * (b[3] - b[1]) - iw * ih) >= 0.3;
};

const rows: Row[] = [];
async function photo(
  set: string,
  dir: string,
  file: string,
  label: (box: number[], kept: number[][]) => Label,
) {
  const image = await load(join(dir, file));
  const sx = image.source ? image.source.width / image.width : 1;
  const confirm = rememberedCheck(
    verifier,
    image,
    candidateRescue(image, embedder, 'faceplugin-recognition'),
  );
  const cands = (await detector.detect(image, floor, 'accurate', confirm)).filter((c) => c.score > floor);
  const kept = new Set(await confirm(cands.filter((c) => c.score > threshold)));
  const toSource = (c: Candidate) => [c.x1 * sx, c.y1 * sx, c.x2 * sx, c.y2 * sx];
  const keptBoxes = [...kept].map(toSource);
  let n = 0;
  for (const c of cands) {
    const box = toSource(c);
    if (kept.has(c) && !values.kept) continue;
    const [full2, kpErr] = await fullOpinion(image, c, 2);
    const [full3] = await fullOpinion(image, c, 3);
    const row: Row = {
      set,
      file,
      box: box.map(Math.round) as Row['box'],
      label: kept.has(c) ? 'kept' : label(box, keptBoxes),
      score: c.score,
      presence: await verifier.presence(image, c),
      mask: await maskProbability(image, c, embedder),
      full2,
      full3,
      kpErr,
      ...geometry(c),
      upper: await upperPresence(image, c),
      norm: await rawNorm(image, c),
      spoof: await spoof(image, c),
      back: (await fullOpinion(image, c, 2.5, rescorers[0]))[0],
      front: (await fullOpinion(image, c, 2, rescorers[1]))[0],
      ...(await stability(image, c)),
    };
    rows.push(row);
    if (values.crops) {
      const s = side(c) * 1.6;
      const [cx, cy] = centre(c);
      const data = new Float32Array(160 * 160 * 3);
      warpToTensor(
        image,
        orientedSquare(cx, cy, s, 0, 160),
        {
          width: 160,
          height: 160,
          layout: 'NHWC',
          colorOrder: 'RGB',
          mean: [0, 0, 0],
          std: [1, 1, 1],
        } as never,
        data,
      );
      await mkdir(values.crops, { recursive: true });
      await sharp(Buffer.from(Uint8Array.from(data, (v) => Math.max(0, Math.min(255, v)))), {
        raw: { width: 160, height: 160, channels: 3 },
      })
        .png()
        .toFile(join(values.crops, `${row.label}-${file.replace(/\.\w+$/, '')}-${n++}.png`));
    }
  }
  process.stderr.write(`${set}/${file}: ${cands.length} candidates, ${kept.size} kept\n`);
}

const boxesDir = join(evalData, 'detection-boxes');
const ann = JSON.parse(await readFile(join(boxesDir, 'annotations.json'), 'utf8')) as Record<
  string,
  { boxes: XYWH[]; hard?: XYWH[] }
>;
for (const [file, want] of Object.entries(ann))
  await photo('boxes', boxesDir, file, (box, kept) => {
    const face = want.boxes.find((f) => matches(f, box));
    if (face) return kept.some((k) => matches(face, k)) ? 'dup' : 'miss';
    return (want.hard ?? []).some((f) => matches(f, box)) ? 'hard' : 'none';
  });
const countsDir = join(evalData, 'detection');
const counts = JSON.parse(await readFile(join(countsDir, 'annotations.json'), 'utf8')) as {
  images: Record<string, unknown>;
};
for (const file of Object.keys(counts.images)) await photo('counts', countsDir, file, () => '?');
const samplesDir = join(root, 'test/fixtures/compreface-samples');
const noses = JSON.parse(await readFile(join(samplesDir, 'annotations.json'), 'utf8')) as {
  noses: Record<string, Point[]>;
};
for (const file of Object.keys(noses.noses)) await photo('noses', samplesDir, file, () => 'none');

const f = (x: number | undefined, d = 3) =>
  x === undefined ? '-' : Number.isFinite(x) ? x.toFixed(d) : 'inf';
rows.sort((a, b) => a.label.localeCompare(b.label) || b.presence - a.presence);
process.stdout.write(
  'label set    score presence mask  full2 full3 kpErr eyeR  noseD mouthD noseS upper norm   spoof back  front mirr  jitt  file box\n',
);
for (const r of rows)
  process.stdout.write(
    `${r.label.padEnd(5)} ${r.set.padEnd(6)} ${f(r.score, 2)} ${f(r.presence)} ${f(r.mask, 2)} ${f(r.full2)} ${f(r.full3)} ${f(r.kpErr, 2)} ${f(r.eyeRatio, 2)} ${f(r.noseDown, 2)} ${f(r.mouthDown, 2)} ${f(r.noseSide, 2)} ${f(r.upper)} ${f(r.norm, 3)} ${f(r.spoof)} ${f(r.back)} ${f(r.front)} ${f(r.mirrorCos)} ${f(r.jitterCos)} ${r.file} ${r.box.join(',')}\n`,
  );
if (values.json) await writeFile(values.json, JSON.stringify(rows, null, 1));
await sessions.dispose();
