// /api/health (the process answers) and /api/ready (models loaded and storage reachable: take traffic).
import { Hono } from 'hono';
import type { AppEnv } from '../http/env.js';

/** `ready` says whether the server can take traffic; absent = always ready once the app exists. */
export function healthRoutes(ready?: () => boolean | Promise<boolean>) {
  return new Hono<AppEnv>()
    .get('/health', (c) => c.json({ status: 'ok' }))
    .get('/ready', async (c) => {
      let ok = false;
      try {
        ok = ready ? await ready() : true;
      } catch {
        ok = false;
      }
      return ok ? c.json({ status: 'ready' }) : c.json({ status: 'starting' }, 503);
    });
}
