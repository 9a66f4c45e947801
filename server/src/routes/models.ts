// Files the in-browser engine downloads once and caches: GET /models/manifest.json and /models/<file>.onnx
// (modelRoutes; with model packs the manifest is the built-in one plus the valid packs, whose files are served from
// the models folder as /models/pack.<pack>.<file>, and /models/packs.json says what became of each pack file), and onnxruntime-web's runtime — GET /ort/index.json, /ort/<file> (ortRoutes). Indexes are
// revalidated on every load; files are cached for a year when the URL carries a version (`?v=`), a day otherwise.
import { readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Hono, type Context } from 'hono';
import type { ModelSet } from '../inference/packs.js';

const IMMUTABLE = 'public, max-age=31536000, immutable';
const DAY = 'public, max-age=86400';
const REVALIDATE = 'no-cache';

const TYPES: Record<string, string> = {
  json: 'application/json; charset=utf-8',
  onnx: 'application/octet-stream',
  mjs: 'text/javascript; charset=utf-8',
  wasm: 'application/wasm',
};

/** The onnxruntime-web builds the browser gateway (web/src/lib/inference/ort.ts) may load. */
export const ORT_FILES = [
  'ort.wasm.min.mjs',
  'ort-wasm-simd-threaded.mjs',
  'ort-wasm-simd-threaded.wasm',
  'ort.webgpu.min.mjs',
  'ort-wasm-simd-threaded.asyncify.mjs',
  'ort-wasm-simd-threaded.asyncify.wasm',
] as const;

/** onnxruntime-web's dist/ folder and version, resolved from node_modules. */
export function ortDist(): { dir: string; version: string } {
  const dir = dirname(createRequire(import.meta.url).resolve('onnxruntime-web'));
  const pkg = JSON.parse(readFileSync(join(dir, '..', 'package.json'), 'utf8')) as { version: string };
  return { dir, version: pkg.version };
}

async function sendFile(c: Context, path: string, cacheControl: string): Promise<Response> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) return c.json({ message: 'Not found', code: 0 }, 404);
  const etag = `W/"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
  const headers: Record<string, string> = {
    'Content-Type': TYPES[path.slice(path.lastIndexOf('.') + 1)] ?? 'application/octet-stream',
    'Cache-Control': cacheControl,
    ETag: etag,
    'X-Content-Type-Options': 'nosniff',
    // Loadable by a cross-origin-isolated page (COEP: require-corp) of this origin.
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
  if (c.req.header('if-none-match') === etag) return new Response(null, { status: 304, headers });
  headers['Content-Length'] = String(info.size);
  const body = c.req.method === 'HEAD' ? null : new Uint8Array(await readFile(path));
  return new Response(body, { status: 200, headers });
}

const cacheFor = (c: Context): string => (c.req.query('v') ? IMMUTABLE : DAY);

/**
 * Mount with `app.route('/models', modelRoutes(modelsDir, models))`; `modelsDir` holds manifest.json and the .onnx
 * files, `models` (loadModelSet) adds the valid packs.
 */
export function modelRoutes(modelsDir: string, models?: ModelSet) {
  const headers = { 'Cache-Control': REVALIDATE, 'Cross-Origin-Resource-Policy': 'same-origin' };
  return new Hono()
    .get('/manifest.json', (c) =>
      models?.packs.length
        ? c.json(models.catalog, 200, headers)
        : sendFile(c, join(modelsDir, 'manifest.json'), REVALIDATE),
    )
    .get('/packs.json', (c) => c.json({ packs: models?.packs ?? [] }, 200, headers))
    .get('/:file{[a-z0-9][a-z0-9._-]*\\.onnx}', (c) => {
      const file = c.req.param('file');
      return sendFile(c, models?.files[file] ?? join(modelsDir, file), cacheFor(c));
    });
}

/** Mount with `app.route('/ort', ortRoutes())`: onnxruntime-web's runtime files from node_modules. */
export function ortRoutes(dist: { dir: string; version: string } = ortDist()) {
  const files = new Set<string>(ORT_FILES);
  return new Hono()
    .get('/index.json', (c) =>
      c.json({ version: dist.version, files: [...ORT_FILES] }, 200, {
        'Cache-Control': REVALIDATE,
        'Cross-Origin-Resource-Policy': 'same-origin',
      }),
    )
    .get('/:file', (c) => {
      const file = c.req.param('file');
      if (!files.has(file)) return c.json({ message: 'Not found', code: 0 }, 404);
      return sendFile(c, join(dist.dir, file), cacheFor(c));
    });
}
