// /api/v1/recognition/recognize: who is in this image.
import { Hono } from 'hono';
import { apiKey } from '../http/api-key.js';
import type { AppEnv, RouteDeps } from '../http/env.js';
import { readImage } from '../http/images.js';
import { imageQuery, matchQuery } from '../http/query.js';

export function recognizeRoutes({ services, config }: RouteDeps) {
  return new Hono<AppEnv>().post('/', apiKey(services, 'recognition'), async (c) => {
    const q = { ...imageQuery(c), ...matchQuery(c) };
    const image = await readImage(c, config);
    return c.json(await services.recognize(c.var.service, image, q));
  });
}
