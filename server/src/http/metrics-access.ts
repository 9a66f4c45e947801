// Who may read /metrics (issue 19.7: the exposition shows load and queue depth). With METRICS_TOKEN set, callers
// send `Authorization: Bearer <token>` (Prometheus' `authorization` scrape setting); without one it is served only
// when METRICS_PUBLIC=true, otherwise it answers 404 as an unknown path would.
import { createHash, timingSafeEqual } from 'node:crypto';
import { createMiddleware } from 'hono/factory';
import { Unauthorized } from '../../../shared/errors.js';
import type { Config } from '../config.js';
import type { AppEnv } from './env.js';
import { notFoundHandler } from './errors.js';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Guards the /metrics route per `metricsToken` / `metricsPublic`. */
export function metricsAccess(config: Pick<Config, 'metricsToken' | 'metricsPublic'>) {
  const expected = config.metricsToken === undefined ? undefined : digest(config.metricsToken);
  return createMiddleware<AppEnv>(async (c, next) => {
    if (expected) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '');
      // Compared as digests: equal lengths, constant time, the token's length not revealed.
      if (!m || !timingSafeEqual(digest(m[1]), expected))
        throw new Unauthorized('Metrics need Authorization: Bearer <METRICS_TOKEN>');
      return next();
    }
    if (!config.metricsPublic) return notFoundHandler(c);
    return next();
  });
}
