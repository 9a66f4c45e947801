// Serves the built web app (dist/web): hashed assets cached forever, index.html and the service worker
// revalidated on every load, and an SPA fallback to index.html for page URLs outside /api and /static.
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Context, MiddlewareHandler } from 'hono';

/** Where `vite build` writes the app (repository root `dist/web`). */
export const defaultWebDir = fileURLToPath(new URL('../../../dist/web', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.jpg': 'image/jpeg',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';
const SHORT = 'public, max-age=3600';

/** Paths the web app never answers: they belong to the API (even when the API has no route for them). */
const API_PREFIXES = ['/api/', '/static/'];

function cacheControl(path: string): string {
  if (path.startsWith('/assets/')) return IMMUTABLE; // Vite names every file there by its content hash
  if (path === '/index.html' || path === '/sw.js' || path.endsWith('.webmanifest')) return REVALIDATE;
  return SHORT;
}

export interface WebAppOptions {
  /** Extra headers on every response of the app (e.g. COOP/COEP for cross-origin isolation). */
  headers?: Record<string, string>;
}

/**
 * Middleware serving the built app from `distDir`. Mount it with `app.use('*', webApp(dir))`;
 * requests it does not own (API paths, missing non-page files, non-GET methods) go on to `next()`.
 */
export function webApp(distDir: string = defaultWebDir, options: WebAppOptions = {}): MiddlewareHandler {
  const root = resolve(distDir);
  const extra = options.headers ?? {};

  async function send(c: Context, urlPath: string): Promise<Response | undefined> {
    const file = resolve(join(root, urlPath));
    if (file !== root && !file.startsWith(root + sep)) return undefined; // path traversal
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) return undefined;
    const etag = `W/"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
    const headers: Record<string, string> = {
      'Content-Type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'Cache-Control': cacheControl(urlPath),
      ETag: etag,
      'X-Content-Type-Options': 'nosniff',
      ...extra,
    };
    if (urlPath === '/index.html') headers['Referrer-Policy'] = 'same-origin';
    if (c.req.header('if-none-match') === etag) return new Response(null, { status: 304, headers });
    headers['Content-Length'] = String(info.size);
    const body = c.req.method === 'HEAD' ? null : new Uint8Array(await readFile(file));
    return new Response(body, { status: 200, headers });
  }

  return async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next();
    let path: string;
    try {
      path = decodeURIComponent(c.req.path);
    } catch {
      return next();
    }
    if (path.includes('\0') || API_PREFIXES.some((p) => path.startsWith(p)) || path === '/api') return next();
    // A page URL has no file extension ("/", "/collection"); it gets the app when no file has its name.
    const page = path.endsWith('/') || extname(path) === '';
    const direct = await send(c, path.endsWith('/') ? `${path}index.html` : path);
    if (direct) return direct;
    if (!page) return next();
    const shell = await send(c, '/index.html');
    if (shell) return shell;
    return c.html(
      '<!doctype html><title>Visor</title><p>The web app is not built. Run <code>npx vite build</code> and reload.</p>',
      503,
      { 'Cache-Control': 'no-store' },
    );
  };
}
