// The engines the benchmark drives, behind one small interface; each is imported only when asked for,
// so a child process measuring one engine's cold start loads nothing of the others.
import type { RawImage } from '../../shared/image.js';

export const ENGINES = ['visor', 'human', 'faceapi'] as const;
export type EngineName = (typeof ENGINES)[number];

export interface InferResult {
  faces: number;
  /** Milliseconds per stage as the engine reports them (per-face stages summed over faces). */
  stages?: Record<string, number>;
}

export interface BenchEngine {
  name: EngineName;
  /** The configuration measured, for the report. */
  describe: string;
  /** Plugins run on every face (Visor only). */
  plugins: string[];
  /** Plugins the engine does not offer (Visor only). */
  unavailable: string[];
  /** Decode options the engine's own product uses (Visor: the server's ANALYSIS_MAX_SIDE); none = full size. */
  decode?: { maxSide: number };
  infer(image: RawImage): Promise<InferResult>;
  dispose(): Promise<void>;
}

export interface LoadOptions {
  /** Visor: run every plugin the engine offers, or none (detection + landmarks + embedding only). */
  plugins: 'all' | 'none';
  /** Visor: a photo to probe plugin availability on. */
  probe?: RawImage;
  /** Visor: onnxruntime intra-op threads (undefined = the server's default). */
  threads?: number;
}

export async function loadEngine(name: EngineName, opts: LoadOptions): Promise<BenchEngine> {
  switch (name) {
    case 'visor':
      return (await import('./engine-visor.js')).loadVisor(opts);
    case 'human':
      return (await import('./engine-human.js')).loadHuman();
    case 'faceapi':
      return (await import('./engine-faceapi.js')).loadFaceApi();
  }
}

export const ENGINE_LABELS: Record<EngineName, string> = {
  visor: 'Visor (onnxruntime-node)',
  human: '@vladmandic/human (tfjs-wasm)',
  faceapi: '@vladmandic/face-api (tfjs-wasm)',
};
