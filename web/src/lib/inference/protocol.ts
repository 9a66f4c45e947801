// The typed message protocol between BrowserEngine (page) and engine.worker.ts. Every request carries an id;
// the worker answers each with exactly one response of the same id.
import type { Calibration } from '../../../../shared/engine/similarity.js';
import type { RawImage } from '../../../../shared/image.js';
import type { EngineConfig } from '../../../../shared/engine/engine.js';
import type { Candidate } from '../../../../shared/engine/nms.js';
import type { AnalyzeOptions, AnalyzeResult, PluginName } from '../../../../shared/engine/types.js';
import type { BackendPreference, OrtChoice } from './ort.js';

export interface EngineOptions {
  /** Origin + path the server's /models/ and /ort/ routes live under (default: the page's origin). */
  base?: string;
  backend?: BackendPreference;
  /** WASM threads when cross-origin isolated (default: half the cores, at most 4; see ort.ts wasmThreads). */
  threads?: number;
  /** Pipeline settings (models, detector settings, mirror…); absent = the shared engine's defaults, as the server. */
  config?: Partial<Omit<EngineConfig, 'sessions' | 'catalog'>>;
  /** Plugins whose models load (and get cached) at start rather than on first use: needed offline. */
  preload?: PluginName[];
}

/** A frame the worker decodes itself (an ImageBitmap is transferred, not copied). */
export type EngineImage = { kind: 'raw'; image: RawImage } | { kind: 'bitmap'; bitmap: ImageBitmap };

export type EngineRequest =
  | { id: number; type: 'init'; options: EngineOptions }
  | { id: number; type: 'analyze'; input: EngineImage; options: AnalyzeOptions }
  | { id: number; type: 'locate'; locator: LocatorName; images: RawImage[]; minScore: number }
  | { id: number; type: 'dispose' };

/**
 * The worker's quick face locators for live video (locate.ts): `scan` is the engine's detector model (the whole
 * frame, letterboxed), `follow` the 128 px front-camera BlazeFace (a crop around a tracked face).
 */
export type LocatorName = 'scan' | 'follow';

export interface EngineInfo {
  embedderId: string;
  /** The embedder's manifest id (a built-in model or a pack's, `<pack>.<stem>`). */
  embedderModel: string;
  /** Its similarity calibration (from its profile: calibration.ts or the pack's JSON). */
  calibration: Calibration;
  embeddingSize: number;
  versions: Record<string, string>;
  runtime: OrtChoice;
  /** Milliseconds from init to ready (runtime + core models, cold or from the cache). */
  startMs: number;
  /** Input side of each locator: the page sends `locate` images (RGBA) at this size. */
  locators: Record<LocatorName, number>;
}

export interface SerializedError {
  name: string;
  message: string;
  code?: number;
}

export type EngineResponse =
  | { id: number; type: 'ready'; info: EngineInfo }
  | { id: number; type: 'result'; result: AnalyzeResult }
  /** Per image its faces (input pixels, best first); milliseconds spent in the worker. */
  | { id: number; type: 'located'; faces: Candidate[][]; ms: number }
  | { id: number; type: 'disposed' }
  | { id: number; type: 'error'; error: SerializedError };

/** Embedding buffers to transfer rather than copy. */
export function transferables(result: AnalyzeResult): Transferable[] {
  return result.faces.flatMap((f) => (f.embedding ? [f.embedding.buffer as ArrayBuffer] : []));
}
