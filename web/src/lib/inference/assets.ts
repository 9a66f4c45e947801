// Model and runtime files from the server, kept in the Cache API so the engine starts offline after one visit.
// Indexes (models/manifest.json, ort/index.json) are network-first with the cached copy as the offline fallback;
// the files they list are cache-first, keyed by content hash (models) or onnxruntime-web version (ort files).
import type { ModelCatalog } from '../../../../shared/engine/manifest.js';

/** Cache name; the app's service worker only deletes its own `visor-shell-*` caches, never this one. */
export const ASSET_CACHE = 'visor-engine-v1';

/** What `GET /ort/index.json` (server/src/routes/models.ts) answers. */
export interface OrtIndex {
  version: string;
  files: string[];
}

export interface ModelEntry {
  file: string;
  sha256?: string;
}

const cacheOpen = (): Promise<Cache | undefined> =>
  typeof caches === 'undefined'
    ? Promise.resolve(undefined)
    : caches.open(ASSET_CACHE).catch(() => undefined);

async function networkFirst(url: string): Promise<Response> {
  const cache = await cacheOpen();
  try {
    const res = await fetch(url, { cache: 'no-cache' });
    if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
    await cache?.put(url, res.clone());
    return res;
  } catch (e) {
    const hit = await cache?.match(url);
    if (hit) return hit;
    throw e;
  }
}

/** Bytes of an immutable file: from the cache when present, else fetched once and stored. */
export async function cachedBytes(url: string): Promise<ArrayBuffer> {
  const cache = await cacheOpen();
  const hit = await cache?.match(url);
  if (hit) return hit.arrayBuffer();
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
  await cache?.put(url, res.clone());
  return res.arrayBuffer();
}

export class EngineAssets {
  constructor(private readonly base: string) {}

  private url(path: string): string {
    return new URL(path, this.base).href;
  }

  async manifest(): Promise<ModelCatalog> {
    return (await networkFirst(this.url('models/manifest.json'))).json() as Promise<ModelCatalog>;
  }

  async ortIndex(): Promise<OrtIndex> {
    return (await networkFirst(this.url('ort/index.json'))).json() as Promise<OrtIndex>;
  }

  /** A model's bytes; the content hash in the URL makes a rebuilt model a new cache entry. */
  model(entry: ModelEntry): Promise<ArrayBuffer> {
    const v = entry.sha256 ? `?v=${entry.sha256.slice(0, 16)}` : '';
    return cachedBytes(this.url(`models/${entry.file}${v}`));
  }

  ortFile(index: OrtIndex, file: string): Promise<ArrayBuffer> {
    if (!index.files.includes(file)) throw new Error(`onnxruntime-web file ${file} is not served`);
    return cachedBytes(this.url(`ort/${file}?v=${index.version}`));
  }
}
