// Embedder per face service (issue 17.1):
//   GET /admin/embedders                                  the embedders a service may choose (id, version, dims)
//   GET /admin/apps/:appId/services/:serviceId/embedder   the service's embedder and its latest re-embedding job
//   PUT /admin/apps/:appId/services/:serviceId/embedder   {embedder} → 202 and the job re-embedding the collection
// Members see; owners and administrators change (the job runs in this process: services/embedder-jobs.ts).
import { Hono } from 'hono';
import type { EmbedderInfo } from '../../../../shared/engine/embedders.js';
import { readJsonObject } from '../../http/json.js';
import { requireUser } from '../../http/session.js';
import type { AdminEnv, AdminRouteDeps, EmbedderChoice } from './deps.js';

export const embedderJson = (e: EmbedderInfo) => ({
  id: e.model,
  version: e.key,
  dims: e.dim,
  description: e.description,
  default: e.default,
});

export function embedderListRoutes(embedders: EmbedderChoice) {
  return new Hono<AdminEnv>().get('/', (c) => {
    requireUser(c);
    return c.json({ embedders: embedders.embedders().map(embedderJson) });
  });
}

export function serviceEmbedderRoutes({ admin }: AdminRouteDeps, embedders: EmbedderChoice) {
  const { services, applications } = admin;
  return new Hono<AdminEnv>()
    .get('/:appId/services/:serviceId/embedder', async (c) => {
      const s = await services.get(requireUser(c), c.req.param('appId'), c.req.param('serviceId'));
      return c.json({ embedder: s.embedder, job: (await embedders.embedderJob(s.id)) ?? null });
    })
    .put('/:appId/services/:serviceId/embedder', async (c) => {
      const user = requireUser(c);
      const b = await readJsonObject(c);
      const app = await applications.access(user, c.req.param('appId'), 'manage');
      const s = await services.get(user, app.id, c.req.param('serviceId'));
      return c.json({ embedder: s.embedder, job: await embedders.changeEmbedder(s.id, b.embedder) }, 202);
    });
}
