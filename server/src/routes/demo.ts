// /demo: the CompreFace demo pages (add an example; recognize from a file or the webcam), served from web/demo.
import { readdirSync, readFileSync } from 'node:fs';
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../http/env.js';

const dir = new URL('../../../web/demo/', import.meta.url);
const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};

/** Every servable file, read once: a fixed list, so no request path ever reaches the file system. */
function loadPages(): Map<string, { body: string; type: string }> {
  const pages = new Map<string, { body: string; type: string }>();
  for (const name of readdirSync(dir)) {
    const type = TYPES[name.split('.').pop() ?? ''];
    if (type) pages.set(name, { body: readFileSync(new URL(name, dir), 'utf8'), type });
  }
  return pages;
}

export function demoRoutes() {
  const pages = loadPages();
  const send = (c: Context<AppEnv>, name: string) => {
    const page = pages.get(name);
    if (!page) return c.notFound();
    c.header('Content-Type', page.type);
    c.header('Cache-Control', 'no-cache');
    return c.body(page.body);
  };
  return new Hono<AppEnv>()
    .get('/', (c) =>
      new URL(c.req.url).pathname.endsWith('/') ? send(c, 'index.html') : c.redirect('/demo/', 301),
    )
    .get('/:file', (c) => send(c, c.req.param('file')));
}
