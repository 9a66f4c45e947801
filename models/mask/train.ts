// Trains the mask plugin's head (models/mask/head.json):
// `npx tsx models/mask/train.ts [--faces N] [--reuse] [--hidden H] [--l2 L] [--epochs E] [--out FILE]`.
// One LFW View 1 photo per person (read in place from ../shared/data/eval/lfw-view1, never copied) gives three samples:
// as is (without_mask), with a synthetic mask worn correctly (with_mask) and under the nose or mouth
// (mask_weared_incorrect), each analysed by the real engine as a request would be. People are split 80/20 by a hash of
// their name; the held-back fifth gives the reported accuracy. Features are cached in models/.cache/.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { decodeImage } from '../../server/src/image/decode.js';
import { createServerEngine } from '../../server/src/inference/engine.js';
import { shrink } from '../../shared/engine/preprocess.js';
import {
  MASK_LABELS,
  applyHead,
  maskFeatures,
  regionFeatures,
  type DenseLayer,
  type MaskHead,
} from '../../shared/engine/plugins/mask.js';
import type { FaceAnalysis, FaceEngine } from '../../shared/engine/types.js';
import type { RawImage } from '../../shared/image.js';
import { drawMask, randomStyle, seeded, type MaskFit } from './draw.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const lfwDir = resolve(root, '../shared/data/eval/lfw-view1');
const cacheFile = join(root, 'models/.cache/mask-features.json');
const headFile = join(root, 'models/mask/head.json');

interface Sample {
  person: string;
  label: number;
  x: number[];
}

/** Held back when the first byte of the name's SHA-1 is under 256/5; byte 1 picks the validation fifth of the rest. */
const hashByte = (person: string, i: number) => createHash('sha1').update(person).digest()[i];
export const heldBack = (person: string) => hashByte(person, 0) < 256 / 5;
const validation = (person: string) => hashByte(person, 1) < 256 / 5;
/** L2 strengths tried on the validation people when `--l2 auto`. */
const L2_GRID = [0.001, 0.01, 0.03, 0.1, 0.3, 1];

const features = (image: RawImage, f: FaceAnalysis) =>
  Array.from(
    maskFeatures(f.embedding!, regionFeatures(image, f.landmarks)),
    (v) => Math.round(v * 1e5) / 1e5,
  );

async function extract(engine: FaceEngine, faces: number, log: (s: string) => void): Promise<Sample[]> {
  const people = (await readdir(lfwDir, { withFileTypes: true }))
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  const rand = seeded(13);
  const step = Math.max(1, Math.floor(people.length / faces));
  const samples: Sample[] = [];
  const t0 = Date.now();
  for (let k = 0; k < people.length && k / step < faces; k += step) {
    const person = people[k];
    const file = (await readdir(join(lfwDir, person))).sort()[0];
    const photo = await decodeImage(new Uint8Array(await readFile(join(lfwDir, person, file))));
    const [face] = (await engine.analyze(photo, { limit: 1, embed: true, plugins: ['landmarks3d'] })).faces;
    if (!face?.landmarks3d) continue;
    // Some samples at half size, as faces in surveillance frames and group photos are small.
    const small = (img: RawImage) => (rand() < 0.4 ? shrink(img, 2) : img);
    const fits: [MaskFit | undefined, number][] = [
      [undefined, 0],
      ['correct', 1],
      [rand() < 0.75 ? 'under_nose' : 'under_mouth', 2],
    ];
    for (const [fit, label] of fits) {
      const drawn = fit ? drawMask(photo, face.landmarks3d, fit, randomStyle(rand), rand) : photo;
      const image = small(drawn);
      const [f] = (await engine.analyze(image, { limit: 1, embed: true })).faces;
      if (f) samples.push({ person, label, x: features(image, f) });
    }
    if (samples.length % 150 < 3)
      log(
        `${samples.length} samples from ${k / step + 1} people, ${((Date.now() - t0) / 1000).toFixed(0)} s`,
      );
  }
  return samples;
}

/** Multinomial logistic regression (or one hidden ReLU layer) by full-batch Adam with L2 on the weights. */
function train(
  xs: Float32Array[],
  ys: number[],
  opts: { hidden: number; l2: number; epochs: number; seed: number },
): DenseLayer[] {
  const rand = seeded(opts.seed);
  const dims = [xs[0].length, ...(opts.hidden ? [opts.hidden] : []), MASK_LABELS.length];
  const layers = dims.slice(1).map((out, i) => ({
    w: Float64Array.from({ length: out * dims[i] }, () => (rand() - 0.5) * 2 * Math.sqrt(1 / dims[i])),
    b: new Float64Array(out),
  }));
  const adam = layers.map((l) => ({
    mw: new Float64Array(l.w.length),
    vw: new Float64Array(l.w.length),
    mb: new Float64Array(l.b.length),
    vb: new Float64Array(l.b.length),
  }));
  const lr = 0.01;
  for (let epoch = 1; epoch <= opts.epochs; epoch++) {
    const gw = layers.map((l) => new Float64Array(l.w.length));
    const gb = layers.map((l) => new Float64Array(l.b.length));
    for (let n = 0; n < xs.length; n++) {
      const acts: ArrayLike<number>[] = [xs[n]];
      layers.forEach((l, li) => {
        const a = acts[li];
        const inDim = dims[li];
        const out = new Float64Array(dims[li + 1]);
        for (let o = 0; o < out.length; o++) {
          let s = l.b[o];
          for (let i = 0; i < inDim; i++) s += l.w[o * inDim + i] * a[i];
          out[o] = li < layers.length - 1 ? Math.max(0, s) : s;
        }
        acts.push(out);
      });
      const z = acts[acts.length - 1];
      const top = Math.max(...Array.from(z));
      const e = Array.from(z, (v) => Math.exp(v - top));
      const sum = e.reduce((s, v) => s + v, 0);
      let delta = Float64Array.from(e, (v, o) => v / sum - (o === ys[n] ? 1 : 0));
      for (let li = layers.length - 1; li >= 0; li--) {
        const a = acts[li];
        const inDim = dims[li];
        const back = new Float64Array(inDim);
        for (let o = 0; o < delta.length; o++) {
          gb[li][o] += delta[o];
          for (let i = 0; i < inDim; i++) {
            gw[li][o * inDim + i] += delta[o] * a[i];
            back[i] += delta[o] * layers[li].w[o * inDim + i];
          }
        }
        if (li > 0) delta = Float64Array.from(back, (g, i) => (a[i] > 0 ? g : 0));
      }
    }
    layers.forEach((l, li) => {
      const st = adam[li];
      const step = (p: Float64Array, g: Float64Array, m: Float64Array, v: Float64Array, decay: number) => {
        for (let i = 0; i < p.length; i++) {
          const grad = g[i] / xs.length + decay * p[i];
          m[i] = 0.9 * m[i] + 0.1 * grad;
          v[i] = 0.999 * v[i] + 0.001 * grad * grad;
          p[i] -= (lr * (m[i] / (1 - 0.9 ** epoch))) / (Math.sqrt(v[i] / (1 - 0.999 ** epoch)) + 1e-8);
        }
      };
      step(l.w, gw[li], st.mw, st.vw, opts.l2);
      step(l.b, gb[li], st.mb, st.vb, 0);
    });
  }
  const r = (v: number) => Number(v.toPrecision(5));
  return layers.map((l, li) => ({
    weights: Array.from({ length: dims[li + 1] }, (_, o) =>
      Array.from(l.w.subarray(o * dims[li], (o + 1) * dims[li]), r),
    ),
    bias: Array.from(l.b, r),
  }));
}

function standardiser(xs: number[][]): { mean: number[]; std: number[] } {
  const d = xs[0].length;
  const mean = new Array<number>(d).fill(0);
  const std = new Array<number>(d).fill(0);
  for (const x of xs) for (let i = 0; i < d; i++) mean[i] += x[i] / xs.length;
  for (const x of xs) for (let i = 0; i < d; i++) std[i] += (x[i] - mean[i]) ** 2 / xs.length;
  return {
    mean: mean.map((v) => Number(v.toPrecision(6))),
    std: std.map((v) => Number(Math.max(1e-4, Math.sqrt(v)).toPrecision(6))),
  };
}

/** Accuracy and the confusion matrix (rows: truth, columns: answer). */
export function score(head: MaskHead, samples: readonly { label: number; x: ArrayLike<number> }[]) {
  const confusion = MASK_LABELS.map(() => MASK_LABELS.map(() => 0));
  for (const s of samples) {
    const p = applyHead(head, s.x);
    confusion[s.label][p.indexOf(Math.max(...p))]++;
  }
  const right = confusion.reduce((t, row, i) => t + row[i], 0);
  return { accuracy: right / samples.length, confusion };
}

async function main() {
  const { values } = parseArgs({
    options: {
      faces: { type: 'string', default: '1500' },
      reuse: { type: 'boolean' },
      hidden: { type: 'string', default: '0' },
      l2: { type: 'string', default: 'auto' },
      epochs: { type: 'string', default: '300' },
      out: { type: 'string', default: headFile },
    },
  });
  const log = (s: string) => process.stderr.write(`${s}\n`);
  let samples: Sample[];
  if (values.reuse && existsSync(cacheFile))
    samples = JSON.parse(await readFile(cacheFile, 'utf8')) as Sample[];
  else {
    const engine = await createServerEngine();
    try {
      samples = await extract(engine, Number(values.faces), log);
    } finally {
      await engine.dispose();
    }
    await mkdir(dirname(cacheFile), { recursive: true });
    await writeFile(cacheFile, JSON.stringify(samples));
  }
  const trainSet = samples.filter((s) => !heldBack(s.person));
  const testSet = samples.filter((s) => heldBack(s.person));
  const base = { hidden: Number(values.hidden), epochs: Number(values.epochs), seed: 7 };
  const fit = (set: Sample[], l2: number): MaskHead => {
    const { mean, std } = standardiser(set.map((s) => s.x));
    const xs = set.map((s) => Float32Array.from(s.x, (v, i) => (v - mean[i]) / std[i]));
    log(`training on ${set.length} samples, ${xs[0].length} features, l2 ${l2}`);
    const layers = train(
      xs,
      set.map((s) => s.label),
      { ...base, l2 },
    );
    return { labels: [...MASK_LABELS], mean, std, layers };
  };
  // The L2 strength is chosen on validation people inside the training fifths, never on the held-back ones.
  const validationScores: Record<string, number> = {};
  let l2 = Number(values.l2);
  if (values.l2 === 'auto') {
    const inner = trainSet.filter((s) => !validation(s.person));
    const val = trainSet.filter((s) => validation(s.person));
    for (const candidate of L2_GRID) {
      validationScores[candidate] = Number(score(fit(inner, candidate), val).accuracy.toFixed(4));
      log(`l2 ${candidate}: validation accuracy ${validationScores[candidate]}`);
    }
    l2 = L2_GRID.reduce((best, c) => (validationScores[c] > validationScores[best] ? c : best));
  }
  const opts = { ...base, l2 };
  const head = fit(trainSet, l2);
  const trainScore = score(head, trainSet);
  const testScore = score(head, testSet);
  const report = {
    data: 'LFW View 1, one photo per person, synthetic masks (models/mask/draw.ts)',
    options: opts,
    validation: values.l2 === 'auto' ? validationScores : undefined,
    train: { samples: trainSet.length, accuracy: Number(trainScore.accuracy.toFixed(4)) },
    heldBack: {
      samples: testSet.length,
      people: new Set(testSet.map((s) => s.person)).size,
      accuracy: Number(testScore.accuracy.toFixed(4)),
      confusion: testScore.confusion,
    },
  };
  log(JSON.stringify(report, null, 1));
  await writeFile(values.out, JSON.stringify({ ...head, report }));
  log(`wrote ${values.out}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url))
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  });
