// Who may read /metrics (issue 19.7): off (404) by default, open with METRICS_PUBLIC=true, and with METRICS_TOKEN
// only for `Authorization: Bearer <token>` (401 code 101 otherwise), through the same guard app.ts mounts.
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/src/config.js';
import type { AppEnv } from '../../server/src/http/env.js';
import { errorHandler } from '../../server/src/http/errors.js';
import { createLogger } from '../../server/src/http/logger.js';
import { metricsAccess } from '../../server/src/http/metrics-access.js';
import { createMetrics } from '../../server/src/http/metrics.js';

function build(env: Record<string, string>) {
  const config = loadConfig(env);
  const metrics = createMetrics();
  const app = new Hono<AppEnv>().get('/metrics', metricsAccess(config), metrics.handler);
  app.onError(errorHandler(createLogger('error', () => {})));
  return app;
}

const get = (app: Hono<AppEnv>, authorization?: string) =>
  app.request('/metrics', { headers: authorization ? { authorization } : {} });

describe('/metrics access', () => {
  it('is off by default: 404 as an unknown path', async () => {
    const r = await get(build({}));
    expect(r.status).toBe(404);
    expect(await r.json()).toEqual({ message: 'No endpoint GET /metrics', code: 0 });
  });

  it('is open to anyone with METRICS_PUBLIC=true', async () => {
    const r = await get(build({ METRICS_PUBLIC: 'true' }));
    expect(r.status).toBe(200);
    expect(await r.text()).toMatch(/^# TYPE process_resident_memory_bytes gauge$/m);
  });

  it('needs the bearer token when METRICS_TOKEN is set, public or not', async () => {
    const envs: Record<string, string>[] = [
      { METRICS_TOKEN: 's3cret-token' },
      { METRICS_TOKEN: 's3cret-token', METRICS_PUBLIC: 'true' },
    ];
    for (const env of envs) {
      const app = build(env);
      for (const auth of [undefined, 'Bearer wrong', 'Bearer s3cret-toke', 'Basic s3cret-token']) {
        const r = await get(app, auth);
        expect(r.status, String(auth)).toBe(401);
        expect(await r.json()).toMatchObject({ code: 101 });
      }
      expect((await get(app, 'Bearer s3cret-token')).status).toBe(200);
      expect((await get(app, 'bearer s3cret-token')).status).toBe(200);
    }
  });
});
