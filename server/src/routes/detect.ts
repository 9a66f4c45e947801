// /api/v1/detection/detect: where the faces are (no face = empty result).
import { Hono } from 'hono';
import { apiKey } from '../http/api-key.js';
import type { AppEnv, RouteDeps } from '../http/env.js';
import { readImage } from '../http/images.js';
import { imageQuery } from '../http/query.js';

export function detectRoutes({ services, config }: RouteDeps) {
  return new Hono<AppEnv>().post('/', apiKey(services, 'detection'), async (c) => {
    const q = imageQuery(c);
    const image = await readImage(c, config);
    return c.json(await services.detect(c.var.service, image, q));
  });
}
