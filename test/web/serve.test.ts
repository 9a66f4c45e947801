// webApp(): what the server sends for the built web app: cache headers, SPA fallback, 304s, and what it leaves alone.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webApp } from '../../server/src/web/index.js';

let dir: string;
let app: Hono;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'visor-webapp-'));
  await mkdir(join(dir, 'assets'));
  await mkdir(join(dir, 'icons'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>Visor</title>');
  await writeFile(join(dir, 'assets', 'main-abc123.js'), 'console.log(1)');
  await writeFile(join(dir, 'sw.js'), 'self.x=1');
  await writeFile(join(dir, 'manifest.webmanifest'), '{}');
  await writeFile(join(dir, 'icons', 'icon-192.png'), new Uint8Array([137, 80, 78, 71]));
  // Mounted as server/src/app.ts should: after every route, so it only sees what no route answered.
  app = new Hono();
  app.get('/api/v1/ping', (c) => c.json({ ok: true }));
  app.get('/demo', (c) => c.text('demo'));
  app.use('*', webApp(dir));
  app.notFound((c) => c.json({ message: 'not found', code: 0 }, 404));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('webApp', () => {
  it('serves index.html at / with no-cache', async () => {
    const res = await app.request('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(await res.text()).toContain('<title>Visor</title>');
  });

  it('marks hashed assets immutable', async () => {
    const res = await app.request('/assets/main-abc123.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('revalidates the service worker and the manifest', async () => {
    const sw = await app.request('/sw.js');
    expect(sw.headers.get('cache-control')).toBe('no-cache');
    expect(sw.headers.get('content-type')).toMatch(/^text\/javascript/);
    const manifest = await app.request('/manifest.webmanifest');
    expect(manifest.headers.get('content-type')).toMatch(/^application\/manifest\+json/);
    expect(manifest.headers.get('cache-control')).toBe('no-cache');
  });

  it('falls back to index.html for page URLs', async () => {
    const res = await app.request('/collection/some-subject');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(await res.text()).toContain('<title>Visor</title>');
  });

  it('answers 304 to a matching If-None-Match', async () => {
    const first = await app.request('/icons/icon-192.png');
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    const again = await app.request('/icons/icon-192.png', { headers: { 'if-none-match': etag! } });
    expect(again.status).toBe(304);
  });

  it('leaves the API, missing files and other methods to the next handler', async () => {
    expect(await (await app.request('/api/v1/ping')).json()).toEqual({ ok: true });
    expect(await (await app.request('/demo')).text()).toBe('demo');
    expect((await app.request('/api/v1/nothing')).status).toBe(404);
    expect((await app.request('/assets/missing-123.js')).status).toBe(404);
    expect((await app.request('/', { method: 'POST' })).status).toBe(404);
  });

  it('never serves files outside its folder', async () => {
    for (const path of [
      '/..%2f..%2fetc%2fpasswd',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/assets/..%2f..%2f..%2fetc%2fhosts',
    ]) {
      const res = await app.request(path);
      expect(await res.text()).not.toMatch(/root:|localhost/);
    }
  });

  it('explains when the app is not built', async () => {
    const bare = new Hono();
    bare.use('*', webApp(join(dir, 'nope')));
    const res = await bare.request('/');
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('vite build');
  });
});
