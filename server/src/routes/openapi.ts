// /api/openapi.json (the API description) and /api/docs (a self-contained page that renders it and tries requests).
import { readFileSync } from 'node:fs';
import { Hono } from 'hono';
import type { AppEnv } from '../http/env.js';

const docsPage = readFileSync(new URL('../openapi/docs.html', import.meta.url), 'utf8');

/** `document` builds the description once, on the first request (every route is mounted by then). */
export function openapiRoutes(document: () => object) {
  let built: object | undefined;
  return new Hono<AppEnv>()
    .get('/openapi.json', (c) => c.json((built ??= document())))
    .get('/docs', (c) => c.html(docsPage));
}
