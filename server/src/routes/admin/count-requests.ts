// Middleware for the face-service API: counts each request whose API key resolved to a service, for the
// dashboard's requests-per-day. Mount before the face-service routes: app.use('/api/v1/*', countRequests(counter)).
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../../http/env.js';
import type { RequestCounter } from '../../services/admin/request-counter.js';

export function countRequests(counter: RequestCounter) {
  return createMiddleware<AppEnv>(async (c, next) => {
    try {
      await next();
    } finally {
      const service = c.get('service');
      if (service) counter.count(service.id);
    }
  });
}
