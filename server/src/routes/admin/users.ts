// /admin/users: user management by global owners and administrators.
import { Hono } from 'hono';
import { readJsonObject } from '../../http/json.js';
import { requireUser } from '../../http/session.js';
import { readOptionalObject, type AdminEnv, type AdminRouteDeps } from './deps.js';
import { userJson } from './views.js';

export function userRoutes({ admin }: AdminRouteDeps) {
  const { users } = admin;
  return new Hono<AdminEnv>()
    .get('/', async (c) => c.json({ users: (await users.listUsers(requireUser(c))).map(userJson) }))
    .post('/', async (c) => {
      const actor = requireUser(c);
      const b = await readJsonObject(c);
      const r = await users.createUser(actor, {
        email: b.email,
        password: b.password,
        firstName: b.first_name,
        lastName: b.last_name,
        role: b.role,
      });
      return c.json({ user: userJson(r.user), ...(b.password ? {} : { password: r.password }) }, 201);
    })
    .put('/:id/role', async (c) => {
      const actor = requireUser(c);
      const b = await readJsonObject(c);
      return c.json(userJson(await users.setRole(actor, c.req.param('id'), b.role)));
    })
    .post('/:id/password', async (c) => {
      const actor = requireUser(c);
      const { password } = await readOptionalObject(c);
      const next = await users.resetPassword(actor, c.req.param('id'), password);
      return c.json(password ? {} : { password: next });
    })
    .delete('/:id', async (c) => {
      const { password } = await readOptionalObject(c);
      await users.deleteUser(requireUser(c), c.req.param('id'), password);
      return c.body(null, 204);
    });
}
