// The engine worker: runs the shared face pipeline over onnxruntime-web, off the page's main thread.
// Speaks protocol.ts; started only by BrowserEngine.
import { createEngine } from '../../../../shared/engine/engine.js';
import { profilesOf } from '../../../../shared/engine/profiles.js';
import type { FaceEngine } from '../../../../shared/engine/types.js';
import type { RawImage } from '../../../../shared/image.js';
import { EngineAssets } from './assets.js';
import { FaceLocator } from './locate.js';
import { WebSessionProvider } from './ort.js';
import {
  transferables,
  type EngineImage,
  type EngineInfo,
  type EngineOptions,
  type EngineRequest,
  type EngineResponse,
  type LocatorName,
} from './protocol.js';
import { detectRuntime } from './runtime.js';

const scope = self as unknown as DedicatedWorkerGlobalScope;
let engine: FaceEngine | undefined;
let sessions: WebSessionProvider | undefined;
let canvas: OffscreenCanvas | undefined;
let locators: Record<LocatorName, FaceLocator> | undefined;

/**
 * The live-video locators: the engine's detector for scans (BlazeFace's back model when it is a pack's SCRFD, which
 * the locator does not decode), the 128 px front model for crops (when built).
 */
async function openLocators(
  s: WebSessionProvider,
  detector: string | undefined,
): Promise<Record<LocatorName, FaceLocator>> {
  const scanId =
    detector && profilesOf(s.catalog).detector(detector).format === 'blazeface' ? detector : 'blazeface-back';
  const followId = s.catalog.models['blazeface-front'] ? 'blazeface-front' : scanId;
  const [scan, follow] = [
    await FaceLocator.open(s, s.catalog, scanId),
    await FaceLocator.open(s, s.catalog, followId),
  ];
  return { scan, follow };
}

async function init(options: EngineOptions): Promise<EngineInfo> {
  const t0 = performance.now();
  const assets = new EngineAssets(options.base ?? scope.location.origin + '/');
  const [catalog, runtime] = await Promise.all([assets.manifest(), detectRuntime()]);
  const opened = await WebSessionProvider.open({
    assets,
    catalog,
    runtime,
    preference: options.backend ?? 'auto',
    threads: options.threads,
    start: (s) => createEngine({ ...options.config, sessions: s, catalog }),
  });
  sessions = opened.sessions;
  engine = opened.value;
  locators = await openLocators(sessions, options.config?.detector);
  // Warm the landmark and embedding models too (their first run allocates): a grey chip, no detection.
  const grey = {
    data: new Uint8Array(112 * 112 * 3).fill(128),
    width: 112,
    height: 112,
    channels: 3 as const,
  };
  await engine.analyze(grey, { detectFaces: false, embed: true });
  // ...and the verifier, which checks every new kiosk track before its landmarks and embedding (its first run
  // would otherwise land on the first face's time to name).
  await engine.analyze(grey, { candidates: [{ x1: 0, y1: 0, x2: 112, y2: 112, score: 1, keypoints: [] }] });
  // Plugin models load on first use; a faceless frame asking for them loads them now.
  if (options.preload?.length) {
    const blank = {
      data: new Uint8Array(32 * 32 * 3).fill(128),
      width: 32,
      height: 32,
      channels: 3 as const,
    };
    await engine.analyze(blank, { plugins: options.preload });
  }
  return {
    embedderId: engine.embedderId,
    // embedderId is `<manifest id>@<pipeline version>` (shared/engine/engine.ts).
    embedderModel: engine.embedderId.split('@')[0],
    calibration: profilesOf(sessions.catalog).embedder(engine.embedderId.split('@')[0]).calibration,
    embeddingSize: engine.embeddingSize,
    versions: engine.versions,
    runtime: sessions.choice,
    startMs: performance.now() - t0,
    locators: { scan: locators.scan.inputSize, follow: locators.follow.inputSize },
  };
}

/** RGBA pixels of a bitmap (closed afterwards); the pipeline reads 4-channel images as RGB. */
function pixels(bitmap: ImageBitmap): RawImage {
  const { width, height } = bitmap;
  if (!canvas || canvas.width !== width || canvas.height !== height)
    canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('OffscreenCanvas 2d context is unavailable');
  ctx.drawImage(bitmap, 0, 0);
  bitmap.close();
  return { data: ctx.getImageData(0, 0, width, height).data, width, height, channels: 4 };
}

function toImage(input: EngineImage): { image: RawImage; decodeMs?: number } {
  switch (input.kind) {
    case 'raw':
      return { image: input.image };
    case 'bitmap': {
      const t = performance.now();
      const image = pixels(input.bitmap);
      return { image, decodeMs: performance.now() - t };
    }
  }
}

async function handle(req: EngineRequest): Promise<void> {
  const reply = (res: EngineResponse, transfer: Transferable[] = []) => scope.postMessage(res, transfer);
  try {
    switch (req.type) {
      case 'init':
        reply({ id: req.id, type: 'ready', info: await init(req.options) });
        return;
      case 'analyze': {
        if (!engine) throw new Error('the engine is not initialised');
        const { image, decodeMs } = toImage(req.input);
        const result = await engine.analyze(image, req.options);
        if (decodeMs !== undefined) result.execution_time.pixels = decodeMs;
        reply({ id: req.id, type: 'result', result }, transferables(result));
        return;
      }
      case 'locate': {
        if (!locators) throw new Error('the engine is not initialised');
        const t = performance.now();
        const faces = [];
        for (const image of req.images) faces.push(await locators[req.locator].locate(image, req.minScore));
        reply({ id: req.id, type: 'located', faces, ms: performance.now() - t });
        return;
      }
      case 'dispose':
        await sessions?.dispose();
        engine = undefined;
        sessions = undefined;
        locators = undefined;
        reply({ id: req.id, type: 'disposed' });
        return;
    }
  } catch (e) {
    const err = e as Error & { code?: number };
    reply({ id: req.id, type: 'error', error: { name: err.name, message: err.message, code: err.code } });
  }
}

// One request at a time, in order: a frame never overtakes the init that precedes it.
let queue: Promise<void> = Promise.resolve();
scope.onmessage = (event: MessageEvent<EngineRequest>) => {
  queue = queue.then(() => handle(event.data));
};
