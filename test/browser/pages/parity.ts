// Test page for the browser engine: exposes `window.visorParity` for test/browser/parity.test.ts to drive
// BrowserEngine on raw pixels (decoded by the server) and on JPEG files decoded by the browser.
import {
  BrowserEngine,
  type EngineInfo,
  type EngineOptions,
} from '../../../web/src/lib/inference/browser-engine.js';
import type { AnalyzeOptions, AnalyzeResult } from '../../../shared/engine/types.js';

/** AnalyzeResult with plain arrays, so it crosses page.evaluate. */
export interface PlainResult extends Omit<AnalyzeResult, 'faces'> {
  faces: (Omit<AnalyzeResult['faces'][number], 'embedding'> & { embedding?: number[] })[];
}

let engine: BrowserEngine | undefined;
const plain = (r: AnalyzeResult): PlainResult => ({
  ...r,
  faces: r.faces.map((f) => ({ ...f, embedding: f.embedding && Array.from(f.embedding) })),
});

const api = {
  async start(options: EngineOptions = {}): Promise<EngineInfo & { isolated: boolean }> {
    await engine?.dispose();
    engine = await BrowserEngine.create(options);
    return { ...engine.info, isolated: crossOriginIsolated };
  },
  /** Pixels from `url` (raw RGB, width/height in headers), as the server decoded them. */
  async analyzeRaw(url: string, opts: AnalyzeOptions): Promise<PlainResult> {
    const res = await fetch(url);
    const width = Number(res.headers.get('x-width'));
    const height = Number(res.headers.get('x-height'));
    const data = new Uint8Array(await res.arrayBuffer());
    return plain(await engine!.analyze({ data, width, height, channels: 3 }, opts));
  },
  /** A file decoded by the browser (createImageBitmap), as the webcam and upload paths do. */
  async analyzeFile(url: string, opts: AnalyzeOptions): Promise<PlainResult> {
    const bitmap = await createImageBitmap(await (await fetch(url)).blob());
    return plain(await engine!.analyzeBitmap(bitmap, opts));
  },
};

export type ParityApi = typeof api;
declare global {
  interface Window {
    visorParity: ParityApi;
  }
}
window.visorParity = api;
document.getElementById('status')!.textContent = 'ready';
