// Runs a converted model in onnxruntime-node and its original in tfjs on the same photos; returns per-output errors.
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import type { ModelSpec } from '../../../models/src/spec.js';
import { humanModelsRoot } from './human-models.js';
import { ONE_THREAD } from './ort-options.js';
import { maxRelError, photoTensor } from './photo.js';
import { references } from './tfjs-outputs.js';
import { loadTfjsModel } from './tfjs-reference.js';

/** Max relative error allowed on every output (see `maxRelError` for the definition). */
export const TOLERANCE = 1e-4;

export { tfjsSpec } from './human-models.js';

export interface ParityResult {
  /** The tfjs backend the reference outputs came from. */
  backend: string;
  outputNames: readonly string[];
  shapes: Record<string, { onnx: readonly number[]; tfjs: number[] }>;
  errors: Record<string, number>;
}

/** A converted model: its ONNX bytes and their onnxruntime-node session. */
export interface Converted {
  bytes: Uint8Array;
  session: ort.InferenceSession;
}

const converted = new Map<string, Promise<Converted>>();

/**
 * `spec` converted and opened in onnxruntime-node once per file: the tfjs parity and the onnxruntime-web checks of
 * tfjs-parity.test.ts share them (releaseConverted closes them after the file).
 */
export function convertedOnce(spec: ModelSpec): Promise<Converted> {
  let c = converted.get(spec.id);
  if (!c) {
    c = (async () => {
      const bytes = await spec.convert(humanModelsRoot);
      return { bytes, session: await ort.InferenceSession.create(bytes, ONE_THREAD) };
    })();
    converted.set(spec.id, c);
  }
  return c;
}

/** Releases the sessions convertedOnce opened. */
export async function releaseConverted(): Promise<void> {
  const all = [...converted.values()];
  converted.clear();
  for (const c of await Promise.allSettled(all))
    if (c.status === 'fulfilled') await c.value.session.release();
}

/** Converts `spec`, runs both sides on each photo, and reports the worst error per output. */
export async function checkParity(spec: ModelSpec, photos: string[]): Promise<ParityResult> {
  const reference = references[spec.id];
  if (!reference) throw new Error(`no tfjs reference for ${spec.id}`);
  const { session } = await convertedOnce(spec);
  const model = await loadTfjsModel(spec.source.files[0].replace(/^models\/|\.json$/g, ''));
  const result: ParityResult = {
    backend: tf.getBackend(),
    outputNames: session.outputNames,
    shapes: {},
    errors: {},
  };
  try {
    for (const photo of photos) {
      const x = await photoTensor(photo, spec.input);
      const got = await session.run({ [spec.input.name]: new ort.Tensor('float32', x.data, x.dims) });
      const want = tf.tidy(() => reference(model, tf.tensor(x.data, x.dims)));
      for (const out of spec.outputs) {
        result.shapes[out.name] = { onnx: got[out.name].dims, tfjs: want[out.name].shape };
        const e = maxRelError(got[out.name].data as Float32Array, want[out.name].dataSync());
        result.errors[out.name] = Math.max(result.errors[out.name] ?? 0, e);
      }
      tf.dispose(Object.values(want));
    }
  } finally {
    model.dispose();
  }
  console.log(
    `${spec.id} on ${photos.join(', ')} (tfjs ${result.backend}): max relative error ${JSON.stringify(result.errors)}`,
  );
  return result;
}
