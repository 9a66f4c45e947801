// /admin/users: user management by global owners and administrators (contracts/admin/users.ts).
import * as api from '../../contracts/admin/users.js';
import { contractApp, openapiJson } from '../../http/contract.js';
import { clientAddress, requireUser } from '../../http/session.js';
import type { AdminEnv, AdminRouteDeps } from './deps.js';
import { userJson } from './views.js';

export function userRoutes({ admin, config }: AdminRouteDeps) {
  const { users } = admin;
  const app = contractApp<AdminEnv>();
  app.openapi(api.listUsers, async (c) =>
    c.json({ users: (await users.listUsers(requireUser(c))).map(userJson) }, 200),
  );
  openapiJson(app, api.createUser, async (c) => {
    const b = c.req.valid('json');
    const r = await users.createUser(requireUser(c), {
      email: b.email,
      password: b.password,
      firstName: b.first_name,
      lastName: b.last_name,
      role: b.role,
    });
    return c.json({ user: userJson(r.user), ...(b.password ? {} : { password: r.password }) }, 201);
  });
  openapiJson(app, api.setUserRole, async (c) =>
    c.json(
      userJson(await users.setRole(requireUser(c), c.req.valid('param').id, c.req.valid('json').role)),
      200,
    ),
  );
  openapiJson(app, api.resetUserPassword, async (c) => {
    const { password } = c.req.valid('json');
    const next = await users.resetPassword(requireUser(c), c.req.valid('param').id, password);
    return c.json(password ? {} : { password: next }, 200);
  });
  openapiJson(app, api.deleteUser, async (c) => {
    const { password } = c.req.valid('json');
    await users.deleteUser(
      requireUser(c),
      c.req.valid('param').id,
      password,
      clientAddress(c, config.trustProxy),
    );
    return c.body(null, 204);
  });
  return app;
}
