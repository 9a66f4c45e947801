// Embedder per face service (issue 17.1, contracts/admin/face-services.ts):
//   GET /admin/embedders                                  the embedders a service may choose (id, version, dims)
//   GET /admin/apps/:appId/services/:serviceId/embedder   the service's embedder and its latest re-embedding job
//   PUT /admin/apps/:appId/services/:serviceId/embedder   {embedder} → 202 and the job re-embedding the collection
// Members see; owners and administrators change (the job runs in this process: services/embedder-jobs.ts).
import * as api from '../../contracts/admin/face-services.js';
import { contractApp, openapiJson } from '../../http/contract.js';
import { requireUser } from '../../http/session.js';
import type { AdminEnv, AdminRouteDeps, EmbedderChoice } from './deps.js';
import { embedderJson } from './views.js';

export function embedderListRoutes(embedders: EmbedderChoice) {
  const app = contractApp<AdminEnv>();
  app.openapi(api.listEmbedders, (c) => c.json({ embedders: embedders.embedders().map(embedderJson) }, 200));
  return app;
}

export function serviceEmbedderRoutes({ admin }: AdminRouteDeps, embedders: EmbedderChoice) {
  const { services, applications } = admin;
  const app = contractApp<AdminEnv>();
  app.openapi(api.getServiceEmbedder, async (c) => {
    const { appId, serviceId } = c.req.valid('param');
    const s = await services.get(requireUser(c), appId, serviceId);
    return c.json({ embedder: s.embedder, job: (await embedders.embedderJob(s.id)) ?? null }, 200);
  });
  openapiJson(app, api.changeServiceEmbedder, async (c) => {
    const user = requireUser(c);
    const { appId, serviceId } = c.req.valid('param');
    const a = await applications.access(user, appId, 'manage');
    const s = await services.get(user, a.id, serviceId);
    return c.json(
      { embedder: s.embedder, job: await embedders.changeEmbedder(s.id, c.req.valid('json').embedder) },
      202,
    );
  });
  return app;
}
