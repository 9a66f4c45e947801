// /api/v1/verification/verify: is the face of `source_image` among the faces of `target_image`.
import { Hono } from 'hono';
import { apiKey } from '../http/api-key.js';
import type { AppEnv, RouteDeps } from '../http/env.js';
import { readImages } from '../http/images.js';
import { imageQuery } from '../http/query.js';

export function verifyRoutes({ services, config }: RouteDeps) {
  return new Hono<AppEnv>().post('/', apiKey(services, 'verification'), async (c) => {
    const q = imageQuery(c);
    const { source_image, target_image } = await readImages(c, ['source_image', 'target_image'], config);
    return c.json(await services.verifyImages(c.var.service, source_image, target_image, q));
  });
}
