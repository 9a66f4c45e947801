// Bench page for `npm run bench -- --only browser` (test/bench/browser.ts): exposes `window.visorBench` to time
// the browser engine on a photo as the webcam and upload paths run it: createImageBitmap, then the worker.
import {
  BrowserEngine,
  describeChoice,
  type EngineInfo,
  type EngineOptions,
} from '../../../web/src/lib/inference/browser-engine.js';
import { repeat, type Sampling } from '../../bench/stats.js';

/** One timed run: ms for the decode, each engine stage (per-face stages summed), and the whole. */
export interface BrowserRun {
  decode: number;
  stages: Record<string, number>;
  total: number;
  faces: number;
}

export interface BenchStart extends Omit<EngineInfo, 'versions'> {
  isolated: boolean;
  describe: string;
  cores: number;
}

let engine: BrowserEngine | undefined;

const api = {
  async start(options: EngineOptions = {}): Promise<BenchStart> {
    await engine?.dispose();
    engine = await BrowserEngine.create(options);
    const { versions: _versions, ...info } = engine.info;
    return {
      ...info,
      isolated: crossOriginIsolated,
      describe: describeChoice(info.runtime),
      cores: navigator.hardwareConcurrency,
    };
  },
  /** Warm-up and timed runs of decode + analyse (embed, no plugins) on the photo at `url`. */
  async time(url: string, sampling: Sampling): Promise<BrowserRun[]> {
    const blob = await (await fetch(url)).blob();
    return repeat(async () => {
      const t0 = performance.now();
      const bitmap = await createImageBitmap(blob);
      const t1 = performance.now();
      const r = await engine!.analyzeBitmap(bitmap, { embed: true });
      const t2 = performance.now();
      const stages: Record<string, number> = { ...r.execution_time };
      for (const f of r.faces)
        for (const [k, v] of Object.entries(f.execution_time)) stages[k] = (stages[k] ?? 0) + v;
      return { decode: t1 - t0, stages, total: t2 - t0, faces: r.faces.length };
    }, sampling);
  },
};

export type BenchApi = typeof api;
declare global {
  interface Window {
    visorBench: BenchApi;
  }
}
window.visorBench = api;
document.getElementById('status')!.textContent = 'ready';
