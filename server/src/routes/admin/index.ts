// The JSON admin API, mounted under /admin: session auth (cookie), CSRF guard on state-changing requests,
// Retry-After on 429. Build it with `app.route('/admin', adminRoutes({ config, admin }))`; its routes are
// contracts (contracts/admin/*.ts), so mounted on an OpenAPIHono app they join the OpenAPI document.
import type { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { PayloadTooLarge, TooManyAttempts } from '../../../../shared/errors.js';
import { sessionScheme } from '../../contracts/admin/common.js';
import { contractApp } from '../../http/contract.js';
import { csrfGuard, sessionAuth } from '../../http/session.js';
import { applicationRoutes } from './applications.js';
import { authRoutes } from './auth.js';
import type { AdminEnv, AdminRouteDeps } from './deps.js';
import { embedderListRoutes, serviceEmbedderRoutes } from './embedders.js';
import { faceServiceRoutes } from './face-services.js';
import { userRoutes } from './users.js';

export type { AdminRouteDeps } from './deps.js';
export { countRequests } from './count-requests.js';

export function adminRoutes(deps: AdminRouteDeps): OpenAPIHono<AdminEnv> {
  const app = contractApp<AdminEnv>();
  app.openAPIRegistry.registerComponent('securitySchemes', 'session', sessionScheme);
  app.use(async (c, next) => {
    await next();
    // the session is personal: never cached by a shared cache
    c.header('cache-control', 'no-store');
    if (c.error instanceof TooManyAttempts) c.res.headers.set('retry-after', String(c.error.retryAfter));
  });
  app.use(
    bodyLimit({
      maxSize: 64 * 1024,
      onError: () => {
        throw new PayloadTooLarge('Admin requests are limited to 64 KB');
      },
    }),
  );
  app.use(csrfGuard());
  app.use(sessionAuth((token) => deps.admin.accounts.sessionUser(token)));
  app.route('/', authRoutes(deps));
  app.route('/users', userRoutes(deps));
  app.route('/apps', applicationRoutes(deps));
  app.route('/apps', faceServiceRoutes(deps));
  if (deps.embedders) {
    app.route('/embedders', embedderListRoutes(deps.embedders));
    app.route('/apps', serviceEmbedderRoutes(deps, deps.embedders));
  }
  return app;
}
