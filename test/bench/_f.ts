import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { decodeImage } from '../../server/src/image/decode.js';
const require = createRequire(import.meta.url);
const root = dirname(require.resolve('@vladmandic/face-api/package.json'));
const faceapi = require(join(root, 'dist/face-api.node-wasm.js'));
const wasm = require('@tensorflow/tfjs-backend-wasm');
const wasmDir = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/';
wasm.setWasmPaths(wasmDir);
const tf = faceapi.tf;
await tf.setBackend('wasm'); await tf.ready();
console.log(tf.getBackend(), tf.version_core, wasm.version_wasm);
let t = performance.now();
const dir = join(root, 'model');
await faceapi.nets.ssdMobilenetv1.loadFromDisk(dir);
await faceapi.nets.faceLandmark68Net.loadFromDisk(dir);
await faceapi.nets.faceRecognitionNet.loadFromDisk(dir);
console.log('load', performance.now() - t);
const opts = new faceapi.SsdMobilenetv1Options({ minConfidence: 0.5, maxResults: 100 });
for (const f of ['009_C.jpg', '000_5.jpg', '001_A.jpg']) {
  const img = await decodeImage(await readFile('test/fixtures/compreface-samples/' + f));
  for (let i = 0; i < 3; i++) {
    t = performance.now();
    const tensor = tf.tensor3d(img.data, [img.height, img.width, 3], 'int32');
    const r = await faceapi.detectAllFaces(tensor, opts).withFaceLandmarks().withFaceDescriptors();
    tensor.dispose();
    console.log(f, performance.now() - t, r.length, r.map((x: { descriptor: Float32Array }) => x.descriptor.length));
  }
}
console.log(process.resourceUsage().maxRSS, tf.memory().numTensors);
