// /admin/apps/:appId/services: face services of an application, their API keys and statistics
// (contracts/admin/face-services.ts).
import * as api from '../../contracts/admin/face-services.js';
import { contractApp, openapiJson } from '../../http/contract.js';
import { requireUser } from '../../http/session.js';
import type { AdminEnv, AdminRouteDeps } from './deps.js';
import { serviceJson } from './views.js';

export function faceServiceRoutes({ admin, embedders }: AdminRouteDeps) {
  const { services } = admin;
  const app = contractApp<AdminEnv>();
  app.openapi(api.listServices, async (c) =>
    c.json(
      { services: (await services.list(requireUser(c), c.req.valid('param').appId)).map(serviceJson) },
      200,
    ),
  );
  openapiJson(app, api.createService, async (c) => {
    const b = c.req.valid('json');
    const s = await services.create(requireUser(c), c.req.valid('param').appId, {
      name: b.name,
      type: b.type,
      minSimilarity: b.min_similarity,
      embedder: embedders && b.embedder !== undefined ? embedders.chooseEmbedder(b.embedder) : undefined,
    });
    return c.json(serviceJson(s), 201);
  });
  app.openapi(api.getService, async (c) => {
    const { appId, serviceId } = c.req.valid('param');
    return c.json(serviceJson(await services.get(requireUser(c), appId, serviceId)), 200);
  });
  openapiJson(app, api.updateService, async (c) => {
    const { appId, serviceId } = c.req.valid('param');
    const b = c.req.valid('json');
    const s = await services.update(requireUser(c), appId, serviceId, {
      name: b.name,
      minSimilarity: b.min_similarity,
    });
    return c.json(serviceJson(s), 200);
  });
  openapiJson(app, api.cloneService, async (c) => {
    const { appId, serviceId } = c.req.valid('param');
    const s = await services.clone(requireUser(c), appId, serviceId, c.req.valid('json').name);
    return c.json(serviceJson(s), 201);
  });
  app.openapi(api.newKey, async (c) => {
    const { appId, serviceId } = c.req.valid('param');
    return c.json({ api_key: await services.regenerateKey(requireUser(c), appId, serviceId) }, 200);
  });
  app.openapi(api.deleteService, async (c) => {
    const { appId, serviceId } = c.req.valid('param');
    await services.remove(requireUser(c), appId, serviceId);
    return c.body(null, 204);
  });
  app.openapi(api.serviceStats, async (c) => {
    const { appId, serviceId } = c.req.valid('param');
    return c.json(await services.stats(requireUser(c), appId, serviceId, c.req.valid('query').days), 200);
  });
  return app;
}
