// /admin/apps: applications and their members (contracts/admin/applications.ts).
import * as api from '../../contracts/admin/applications.js';
import { contractApp, openapiJson } from '../../http/contract.js';
import { requireUser } from '../../http/session.js';
import type { AdminEnv, AdminRouteDeps } from './deps.js';
import { appJson, memberJson } from './views.js';

export function applicationRoutes({ admin }: AdminRouteDeps) {
  const { applications: apps } = admin;
  const app = contractApp<AdminEnv>();
  app.openapi(api.listApps, async (c) =>
    c.json({ applications: (await apps.list(requireUser(c))).map(appJson) }, 200),
  );
  openapiJson(app, api.createApp, async (c) =>
    c.json(appJson(await apps.create(requireUser(c), c.req.valid('json').name)), 201),
  );
  app.openapi(api.getApp, async (c) =>
    c.json(appJson(await apps.access(requireUser(c), c.req.valid('param').appId, 'view')), 200),
  );
  openapiJson(app, api.renameApp, async (c) =>
    c.json(
      appJson(await apps.rename(requireUser(c), c.req.valid('param').appId, c.req.valid('json').name)),
      200,
    ),
  );
  app.openapi(api.deleteApp, async (c) => {
    await apps.remove(requireUser(c), c.req.valid('param').appId);
    return c.body(null, 204);
  });
  app.openapi(api.listMembers, async (c) =>
    c.json(
      { members: (await apps.members(requireUser(c), c.req.valid('param').appId)).map(memberJson) },
      200,
    ),
  );
  openapiJson(app, api.invite, async (c) => {
    const b = c.req.valid('json');
    return c.json(
      memberJson(await apps.invite(requireUser(c), c.req.valid('param').appId, b.email, b.role)),
      201,
    );
  });
  openapiJson(app, api.setMemberRole, async (c) => {
    const { appId, userId } = c.req.valid('param');
    await apps.setRole(requireUser(c), appId, userId, c.req.valid('json').role);
    return c.body(null, 204);
  });
  app.openapi(api.removeMember, async (c) => {
    const { appId, userId } = c.req.valid('param');
    await apps.removeMember(requireUser(c), appId, userId);
    return c.body(null, 204);
  });
  return app;
}
