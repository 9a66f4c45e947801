// Builds the web app (web/) to dist/web. The service worker (web/src/sw/sw.ts) is its own entry, emitted as
// /sw.js with the list of files to precache injected at build time; `npm run dev` proxies the API to :8000.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('./web', import.meta.url));
const api = process.env.VISOR_API_URL ?? 'http://localhost:8000';

/** Files under web/public (copied verbatim), as URL paths. */
function publicFiles(): string[] {
  const dir = `${root}/public`;
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => statSync(`${dir}/${f}`).isFile())
    .map((f) => f.split('\\').join('/'));
}

/**
 * Prepends `self.__VISOR_PRECACHE = {version, files}` to sw.js: the app shell ('/'), every emitted file but
 * source maps, and the public files. The version hashes their contents, so a new build installs a new worker.
 */
function precacheManifest(): Plugin {
  return {
    name: 'visor-precache-manifest',
    apply: 'build',
    generateBundle(_options, bundle) {
      const sw = bundle['sw.js'];
      if (!sw || sw.type !== 'chunk') return;
      const files = Object.keys(bundle)
        .filter((f) => f !== 'sw.js' && !f.endsWith('.map') && f !== 'index.html')
        .sort()
        .map((f) => `/${f}`);
      const hash = createHash('sha256');
      for (const f of Object.keys(bundle).sort()) {
        const out = bundle[f];
        hash.update(f);
        if (out.type === 'asset') hash.update(out.source);
        else if (f !== 'sw.js') hash.update(out.code);
      }
      const pub = publicFiles();
      for (const f of pub) hash.update(f).update(readFileSync(`${root}/public/${f}`));
      const manifest = {
        version: hash.digest('hex').slice(0, 12),
        files: ['/', ...files, ...pub.map((f) => `/${f}`)],
      };
      sw.code = `self.__VISOR_PRECACHE=${JSON.stringify(manifest)};\n${sw.code}`;
    },
  };
}

export default defineConfig({
  root,
  base: '/',
  publicDir: 'public',
  plugins: [svelte({ configFile: false }), precacheManifest()],
  worker: { format: 'es' },
  build: {
    outDir: fileURLToPath(new URL('./dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    rollupOptions: {
      input: { main: `${root}/index.html`, sw: `${root}/src/sw/sw.ts` },
      output: {
        entryFileNames: (chunk) => (chunk.name === 'sw' ? 'sw.js' : 'assets/[name]-[hash].js'),
      },
    },
  },
  server: {
    proxy: { '/api': api, '/static': api, '/models': api, '/ort': api, '/admin': api },
  },
});
