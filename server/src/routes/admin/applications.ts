// /admin/apps: applications and their members.
import { Hono } from 'hono';
import { readJsonObject } from '../../http/json.js';
import { requireUser } from '../../http/session.js';
import type { AdminEnv, AdminRouteDeps } from './deps.js';
import { appJson, memberJson } from './views.js';

export function applicationRoutes({ admin }: AdminRouteDeps) {
  const { applications: apps } = admin;
  return new Hono<AdminEnv>()
    .get('/', async (c) => c.json({ applications: (await apps.list(requireUser(c))).map(appJson) }))
    .post('/', async (c) => {
      const user = requireUser(c);
      return c.json(appJson(await apps.create(user, (await readJsonObject(c)).name)), 201);
    })
    .get('/:appId', async (c) =>
      c.json(appJson(await apps.access(requireUser(c), c.req.param('appId'), 'view'))),
    )
    .put('/:appId', async (c) => {
      const user = requireUser(c);
      return c.json(appJson(await apps.rename(user, c.req.param('appId'), (await readJsonObject(c)).name)));
    })
    .delete('/:appId', async (c) => {
      await apps.remove(requireUser(c), c.req.param('appId'));
      return c.body(null, 204);
    })
    .get('/:appId/members', async (c) =>
      c.json({ members: (await apps.members(requireUser(c), c.req.param('appId'))).map(memberJson) }),
    )
    .post('/:appId/members', async (c) => {
      const user = requireUser(c);
      const b = await readJsonObject(c);
      return c.json(memberJson(await apps.invite(user, c.req.param('appId'), b.email, b.role)), 201);
    })
    .put('/:appId/members/:userId', async (c) => {
      const user = requireUser(c);
      const b = await readJsonObject(c);
      await apps.setRole(user, c.req.param('appId'), c.req.param('userId'), b.role);
      return c.body(null, 204);
    })
    .delete('/:appId/members/:userId', async (c) => {
      await apps.removeMember(requireUser(c), c.req.param('appId'), c.req.param('userId'));
      return c.body(null, 204);
    });
}
