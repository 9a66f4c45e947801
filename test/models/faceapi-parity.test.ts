// The face-api ONNX graphs against face-api's own forward pass (tfjs) on real face crops, in onnxruntime-node and
// onnxruntime-web; then what the recognition graph does with real faces (helpers/faceapi-recognition.ts).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import * as ortw from 'onnxruntime-web';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { faceApiSpecs } from '../../models/src/faceapi/registry.js';
import { recognitionCases } from './helpers/faceapi-recognition.js';
import { ONE_THREAD } from './helpers/ort-options.js';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const FIXTURES = join(here, '../fixtures/compreface-samples');
const FACEAPI_ROOT = dirname(require.resolve('@vladmandic/face-api/package.json'));
const TOLERANCE = 1e-4;

/** The slice of face-api (and its tfjs) these tests drive. */
interface Tensor {
  shape: number[];
  dataSync(): Float32Array;
  dispose(): void;
}
type NetOutput = Tensor | Record<string, Tensor | Tensor[]>;
interface Net {
  loadFromDisk(dir: string): Promise<void>;
  forward(input: Tensor[]): Promise<NetOutput>;
}
interface FaceApi {
  tf: {
    setBackend(name: string): Promise<boolean>;
    getBackend(): string;
    ready(): Promise<void>;
    tensor3d(data: Float32Array, shape: number[]): Tensor;
  };
  nets: Record<'faceRecognitionNet' | 'faceLandmark68Net' | 'ageGenderNet' | 'ssdMobilenetv1', Net>;
}

type Rect = [x: number, y: number, w: number, h: number];

/** Face rectangles in the EXIF-rotated photos: dlib-aligned squares (recognition) and squares around SSD's boxes (landmarks, age/gender). */
const ALIGNED: Record<string, Rect> = {
  '009_C.jpg': [81, 144, 174, 174],
  '001_A.jpg': [1865, 2010, 484, 484],
  '007_B.jpg': [145, 233, 126, 126],
};
const SQUARE: Record<string, Rect> = {
  '009_C.jpg': [78, 134, 180, 180],
  '001_A.jpg': [1818, 1921, 590, 590],
  '007_B.jpg': [147, 223, 129, 129],
};
const NOSES: Record<string, [number, number]> = { '009_C.jpg': [166, 236], '007_B.jpg': [205, 299] };

const crops = new Map<string, Promise<Float32Array>>();

/** RGB 0..255 floats of `rect` resized (bilinear) to size x size, as the engine would feed them (memoised: the A photos are 36 MP). */
function crop(file: string, rect: Rect, size: number): Promise<Float32Array> {
  const key = `${file}:${rect.join(',')}:${size}`;
  if (!crops.has(key)) crops.set(key, decodeCrop(file, rect, size));
  return crops.get(key)!;
}

async function decodeCrop(
  file: string,
  [left, top, width, height]: Rect,
  size: number,
): Promise<Float32Array> {
  const { data } = await sharp(join(FIXTURES, file))
    .rotate()
    .extract({ left, top, width, height })
    .resize(size, size, { fit: 'fill' })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return Float32Array.from(data);
}

const letterboxes = new Map<string, Promise<{ data: Float32Array; side: number }>>();

/** face-api's letterbox for SSD: zero padding at the right/bottom to a square, then size x size (memoised). */
function letterbox(file: string, size: number): Promise<{ data: Float32Array; side: number }> {
  const key = `${file}:${size}`;
  if (!letterboxes.has(key)) letterboxes.set(key, decodeLetterbox(file, size));
  return letterboxes.get(key)!;
}

async function decodeLetterbox(file: string, size: number): Promise<{ data: Float32Array; side: number }> {
  const img = sharp(join(FIXTURES, file)).rotate();
  const { width, height } = await sharp(await img.clone().toBuffer()).metadata();
  const side = Math.max(width, height);
  const w = Math.round((width * size) / side);
  const h = Math.round((height * size) / side);
  const { data } = await img
    .resize(w, h, { fit: 'fill' })
    .extend({ right: size - w, bottom: size - h, background: { r: 0, g: 0, b: 0 } })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data: Float32Array.from(data), side };
}

function concat(arrays: Float32Array[]): Float32Array {
  const out = new Float32Array(arrays.reduce((n, a) => n + a.length, 0));
  arrays.reduce((offset, a) => (out.set(a, offset), offset + a.length), 0);
  return out;
}

/** max |a - b| over max |b|: the error relative to the output's scale. */
function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / scale;
}

/** face-api's outputs flattened per name (batch lists concatenated). */
function referenceOutputs(out: NetOutput, single: string): Record<string, Float32Array> {
  const entries = 'dataSync' in out ? [[single, out] as const] : Object.entries(out);
  return Object.fromEntries(
    entries.map(([k, v]) => [
      k,
      Array.isArray(v) ? concat(v.map((t) => t.dataSync())) : (v as Tensor).dataSync(),
    ]),
  );
}

interface Case {
  id: string;
  net: keyof FaceApi['nets'];
  size: number;
  inputs: () => Promise<Float32Array[]>;
}

const CASES: Case[] = [
  {
    id: 'faceapi-recognition',
    net: 'faceRecognitionNet',
    size: 150,
    inputs: () => Promise.all(Object.entries(ALIGNED).map(([f, r]) => crop(f, r, 150))),
  },
  {
    id: 'faceapi-landmarks68',
    net: 'faceLandmark68Net',
    size: 112,
    inputs: () => Promise.all(Object.entries(SQUARE).map(([f, r]) => crop(f, r, 112))),
  },
  {
    id: 'faceapi-agegender',
    net: 'ageGenderNet',
    size: 112,
    inputs: () => Promise.all(Object.entries(SQUARE).map(([f, r]) => crop(f, r, 112))),
  },
  {
    id: 'faceapi-ssd',
    net: 'ssdMobilenetv1',
    size: 512,
    inputs: async () =>
      (await Promise.all(Object.keys(NOSES).map((f) => letterbox(f, 512)))).map((l) => l.data),
  },
];

const specs = new Map(faceApiSpecs().map((s) => [s.id, s]));
const converted = new Map<string, Promise<Uint8Array>>();

/** The ONNX bytes of face-api model `id`, converted once per file (the output checks below reuse them). */
function onnxOf(id: string): Promise<Uint8Array> {
  if (!converted.has(id)) converted.set(id, Promise.resolve(specs.get(id)!.convert(FACEAPI_ROOT)));
  return converted.get(id)!;
}
let faceapi: FaceApi;

beforeAll(async () => {
  faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js') as FaceApi;
  // the reference runs on face-api's tfjs with its wasm backend (XNNPACK kernels, single-threaded): pure-JS cpu
  // takes ~20x the CPU for the same graphs
  expect(await faceapi.tf.setBackend('wasm')).toBe(true);
  await faceapi.tf.ready();
  expect(faceapi.tf.getBackend()).toBe('wasm');
  ortw.env.wasm.numThreads = 1;
});

describe.each(CASES)('$id', ({ id, net, size, inputs }) => {
  const spec = specs.get(id)!;
  let onnx: Uint8Array;
  let images: Float32Array[];
  let reference: Record<string, Float32Array>;
  let nodeOut: Record<string, Float32Array>;

  beforeAll(async () => {
    onnx = await onnxOf(id);
    images = await inputs();
    await faceapi.nets[net].loadFromDisk(join(FACEAPI_ROOT, 'model'));
    const tensors = images.map((d) => faceapi.tf.tensor3d(d, [size, size, 3]));
    reference = referenceOutputs(await faceapi.nets[net].forward(tensors), spec.outputs[0].name);
    tensors.forEach((t) => t.dispose());
  });

  it('matches face-api in onnxruntime-node on a batch of real faces', async () => {
    const session = await ort.InferenceSession.create(onnx, ONE_THREAD);
    expect(session.inputNames).toEqual([spec.input.name]);
    expect([...session.outputNames].sort()).toEqual(spec.outputs.map((o) => o.name).sort());
    const out = await session.run({
      [spec.input.name]: new ort.Tensor('float32', concat(images), [images.length, size, size, 3]),
    });
    nodeOut = Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.data as Float32Array]));
    for (const o of spec.outputs) {
      const err = relativeError(nodeOut[o.name], reference[o.name]);
      console.info(
        `${id}.${o.name}: max relative error ${err.toExponential(2)} (onnxruntime-node vs face-api)`,
      );
      expect(err).toBeLessThanOrEqual(TOLERANCE);
    }
    await session.release();
  });

  it('gives the same outputs in onnxruntime-web (wasm)', async () => {
    const session = await ortw.InferenceSession.create(onnx);
    const out = await session.run({
      [spec.input.name]: new ortw.Tensor('float32', concat(images), [images.length, size, size, 3]),
    });
    for (const o of spec.outputs) {
      const web = out[o.name].data as Float32Array;
      expect(relativeError(web, reference[o.name])).toBeLessThanOrEqual(TOLERANCE);
      expect(relativeError(web, nodeOut[o.name])).toBeLessThanOrEqual(TOLERANCE);
    }
    await session.release();
  });
});

describe('faceapi-ssd outputs', () => {
  it('finds each annotated face with a decoded box around its nose', async () => {
    const session = await ort.InferenceSession.create(await onnxOf('faceapi-ssd'), ONE_THREAD);
    for (const [file, [nx, ny]] of Object.entries(NOSES)) {
      const { data, side } = await letterbox(file, 512);
      const out = await session.run({ image: new ort.Tensor('float32', data, [1, 512, 512, 3]) });
      const scores = out.scores.data as Float32Array;
      const best = scores.indexOf(Math.max(...scores));
      expect(scores[best]).toBeGreaterThan(0.9);
      const [ymin, xmin, ymax, xmax] = (out.boxes.data as Float32Array).subarray(best * 4, best * 4 + 4);
      expect(nx).toBeGreaterThan(xmin * side);
      expect(nx).toBeLessThan(xmax * side);
      expect(ny).toBeGreaterThan(ymin * side);
      expect(ny).toBeLessThan(ymax * side);
    }
    await session.release();
  });
});

describe('faceapi-landmarks68 outputs', () => {
  it('puts the nose tip (point 30) near the annotated nose of 009_C', async () => {
    const session = await ort.InferenceSession.create(await onnxOf('faceapi-landmarks68'), ONE_THREAD);
    const [x, y, s] = SQUARE['009_C.jpg'];
    const out = await session.run({
      image: new ort.Tensor('float32', await crop('009_C.jpg', SQUARE['009_C.jpg'], 112), [1, 112, 112, 3]),
    });
    const pts = out.landmarks.data as Float32Array;
    const [nx, ny] = NOSES['009_C.jpg'];
    expect(Math.hypot(x + pts[60] * s - nx, y + pts[61] * s - ny)).toBeLessThan(0.05 * s);
    await session.release();
  });
});

recognitionCases(() => onnxOf('faceapi-recognition'));
