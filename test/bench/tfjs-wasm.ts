// The slice of TensorFlow.js the two peer libraries need in Node without tfjs-node: the wasm binaries from
// node_modules, models read from disk through a file:// load router, and a report of the wasm flavour in use.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export const requireCjs = createRequire(import.meta.url);

/** Directory holding tfjs-backend-wasm's .wasm files (trailing slash, as setWasmPaths wants). */
export const WASM_DIR = `${join(dirname(requireCjs.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist')}/`;

export interface Tensor {
  dispose(): void;
}

interface WeightsGroup {
  paths: string[];
  weights: unknown[];
}

/** What the benchmark calls on the tfjs instance a peer library bundles or requires. */
export interface Tf {
  version_core: string;
  getBackend(): string;
  tensor3d(data: Uint8Array | Uint8ClampedArray | Int32Array, shape: number[], dtype: 'int32'): Tensor;
  env(): { getAsync(flag: string): Promise<boolean> };
  io: {
    registerLoadRouter(router: (url: string | string[]) => { load(): Promise<unknown> } | null): void;
    getModelArtifactsForJSON(
      json: unknown,
      loadWeights: (manifest: WeightsGroup[]) => Promise<[unknown[], ArrayBuffer]>,
    ): Promise<unknown>;
  };
}

/** Serves `file://` model URLs (model.json plus its weight shards) from the local disk. */
export function registerFileLoader(tf: Tf): void {
  tf.io.registerLoadRouter((url) => {
    if (typeof url !== 'string' || !url.startsWith('file://')) return null;
    const path = url.slice('file://'.length);
    return {
      async load() {
        const json: unknown = JSON.parse(await readFile(path, 'utf8'));
        return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
          const specs = manifest.flatMap((g) => g.weights);
          const shards = await Promise.all(
            manifest.flatMap((g) => g.paths.map((p) => readFile(join(dirname(path), p)))),
          );
          const all = Buffer.concat(shards);
          return [specs, all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength)];
        });
      },
    };
  });
}

/** e.g. `tfjs 4.22.0 wasm (SIMD, single-threaded)`. */
export async function backendInfo(tf: Tf): Promise<string> {
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  return `tfjs ${tf.version_core} ${tf.getBackend()} (${simd ? 'SIMD' : 'no SIMD'}, ${threads ? 'multi-threaded' : 'single-threaded'})`;
}

/** The decoded RGB photo as the int32 [h, w, 3] tensor both libraries take in Node. */
export const imageTensor = (
  tf: Tf,
  img: { data: Uint8Array | Uint8ClampedArray; width: number; height: number },
) => tf.tensor3d(img.data, [img.height, img.width, 3], 'int32');
