// @vladmandic/face-api on tfjs-backend-wasm (its node-wasm build): SSD MobileNet v1 detection,
// 68 landmarks and the 128-d ResNet descriptor, weights from the package's model/ folder.
import { dirname, join } from 'node:path';
import type { BenchEngine } from './engines.js';
import { backendInfo, imageTensor, requireCjs, WASM_DIR, type Tensor, type Tf } from './tfjs-wasm.js';

interface Net {
  loadFromDisk(dir: string): Promise<void>;
}
interface Task<T> extends PromiseLike<T> {
  withFaceLandmarks(): Task<T>;
  withFaceDescriptors(): PromiseLike<unknown[]>;
}
interface FaceApi {
  tf: Tf & { setBackend(name: string): Promise<boolean>; ready(): Promise<void> };
  nets: Record<'ssdMobilenetv1' | 'faceLandmark68Net' | 'faceRecognitionNet', Net>;
  SsdMobilenetv1Options: new (o: { minConfidence: number; maxResults: number }) => unknown;
  detectAllFaces(input: Tensor, options: unknown): Task<unknown[]>;
}

export async function loadFaceApi(): Promise<BenchEngine> {
  const root = dirname(requireCjs.resolve('@vladmandic/face-api/package.json'));
  const faceapi = requireCjs(join(root, 'dist/face-api.node-wasm.js')) as FaceApi;
  const wasm = requireCjs('@tensorflow/tfjs-backend-wasm') as { setWasmPaths(prefix: string): void };
  wasm.setWasmPaths(WASM_DIR);
  const { version } = requireCjs('@vladmandic/face-api/package.json') as { version: string };
  const { tf } = faceapi;
  await tf.setBackend('wasm');
  await tf.ready();
  const dir = join(root, 'model');
  for (const net of ['ssdMobilenetv1', 'faceLandmark68Net', 'faceRecognitionNet'] as const)
    await faceapi.nets[net].loadFromDisk(dir);
  // face-api's defaults: SSD at minConfidence 0.5
  const options = new faceapi.SsdMobilenetv1Options({ minConfidence: 0.5, maxResults: 100 });
  const backend = await backendInfo(tf);
  return {
    name: 'faceapi',
    describe: `face-api ${version}, SSD MobileNet v1 + 68 landmarks + 128-d descriptor; ${backend}`,
    plugins: [],
    unavailable: [],
    async infer(image) {
      const t = imageTensor(tf, image);
      try {
        const faces = await faceapi.detectAllFaces(t, options).withFaceLandmarks().withFaceDescriptors();
        return { faces: faces.length };
      } finally {
        t.dispose();
      }
    },
    dispose: async () => {},
  };
}
