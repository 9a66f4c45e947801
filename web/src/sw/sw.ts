// The service worker: precaches the app shell (list injected by vite.config.ts), serves hashed assets from the
// cache, pages network-first with the cached shell as the offline fallback, and never touches the API or the
// engine's files.
// Built as /sw.js; registered by web/src/lib/pwa.ts through workbox-window.

export {};

const sw = self as unknown as ServiceWorkerGlobalScope & {
  __VISOR_PRECACHE?: { version: string; files: string[] };
};

const manifest = sw.__VISOR_PRECACHE ?? { version: 'dev', files: ['/'] };
const CACHE = `visor-shell-${manifest.version}`;
const SHELL = '/';
/**
 * The API and example images are live data: always from the network. Models and onnxruntime-web's files are
 * the engine's: it keeps them in its own cache (web/src/lib/inference/assets.ts) and falls back to it offline.
 */
const BYPASS = ['/api/', '/static/', '/models/', '/ort/'];

sw.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(manifest.files.map((f) => new Request(f, { cache: 'reload' })))),
  );
});

sw.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys())
        if (name.startsWith('visor-shell-') && name !== CACHE) await caches.delete(name);
      await sw.clients.claim();
    })(),
  );
});

sw.addEventListener('message', (event) => {
  if ((event.data as { type?: string } | null)?.type === 'SKIP_WAITING') void sw.skipWaiting();
});

async function page(request: Request): Promise<Response> {
  try {
    const response = await fetch(request);
    if (response.ok) return response;
    const cached = await caches.match(SHELL, { cacheName: CACHE });
    return cached ?? response;
  } catch {
    const cached = await caches.match(SHELL, { cacheName: CACHE });
    return cached ?? Response.error();
  }
}

async function asset(request: Request): Promise<Response> {
  const cached = await caches.match(request, { cacheName: CACHE });
  return cached ?? fetch(request);
}

sw.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== sw.location.origin || BYPASS.some((p) => url.pathname.startsWith(p))) return;
  event.respondWith(request.mode === 'navigate' ? page(request) : asset(request));
});
