// /admin/apps/:appId/services: face services of an application, their API keys and statistics.
import { Hono } from 'hono';
import { ValidationError } from '../../../../shared/errors.js';
import { readJsonObject } from '../../http/json.js';
import { requireUser } from '../../http/session.js';
import { readOptionalObject, type AdminEnv, type AdminRouteDeps } from './deps.js';
import { serviceJson } from './views.js';

export function faceServiceRoutes({ admin, embedders }: AdminRouteDeps) {
  const { services } = admin;
  return new Hono<AdminEnv>()
    .get('/:appId/services', async (c) =>
      c.json({ services: (await services.list(requireUser(c), c.req.param('appId'))).map(serviceJson) }),
    )
    .post('/:appId/services', async (c) => {
      const user = requireUser(c);
      const b = await readJsonObject(c);
      const s = await services.create(user, c.req.param('appId'), {
        name: b.name,
        type: b.type,
        minSimilarity: b.min_similarity,
        embedder: embedders && b.embedder !== undefined ? embedders.chooseEmbedder(b.embedder) : undefined,
      });
      return c.json(serviceJson(s), 201);
    })
    .get('/:appId/services/:serviceId', async (c) =>
      c.json(serviceJson(await services.get(requireUser(c), c.req.param('appId'), c.req.param('serviceId')))),
    )
    .put('/:appId/services/:serviceId', async (c) => {
      const user = requireUser(c);
      const b = await readJsonObject(c);
      const s = await services.update(user, c.req.param('appId'), c.req.param('serviceId'), {
        name: b.name,
        minSimilarity: b.min_similarity,
      });
      return c.json(serviceJson(s));
    })
    .post('/:appId/services/:serviceId/clone', async (c) => {
      const user = requireUser(c);
      const { name } = await readOptionalObject(c);
      return c.json(
        serviceJson(await services.clone(user, c.req.param('appId'), c.req.param('serviceId'), name)),
        201,
      );
    })
    .post('/:appId/services/:serviceId/key', async (c) => {
      const user = requireUser(c);
      return c.json({
        api_key: await services.regenerateKey(user, c.req.param('appId'), c.req.param('serviceId')),
      });
    })
    .delete('/:appId/services/:serviceId', async (c) => {
      await services.remove(requireUser(c), c.req.param('appId'), c.req.param('serviceId'));
      return c.body(null, 204);
    })
    .get('/:appId/services/:serviceId/stats', async (c) => {
      const raw = c.req.query('days');
      const days = raw === undefined ? 30 : Number(raw);
      if (!Number.isInteger(days)) throw new ValidationError('days must be an integer');
      const s = await services.stats(requireUser(c), c.req.param('appId'), c.req.param('serviceId'), days);
      return c.json(s);
    });
}
