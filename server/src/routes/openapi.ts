// /api/openapi.json (the API description) and /api/docs (a self-contained page that renders it and tries requests).
import { readFileSync } from 'node:fs';
import { Hono } from 'hono';
import type { AppEnv } from '../http/env.js';
import { openapiDocument } from '../openapi/document.js';

const docsPage = readFileSync(new URL('../openapi/docs.html', import.meta.url), 'utf8');

export function openapiRoutes() {
  return new Hono<AppEnv>()
    .get('/openapi.json', (c) => c.json(openapiDocument))
    .get('/docs', (c) => c.html(docsPage));
}
