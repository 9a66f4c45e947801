// /api/v1/static/{api_key}/images/{image_id}: an example's image with the key in the path, for <img src>.
// Any failure (bad key, unknown image) is an empty 200, as CompreFace: an <img> has no use for an error body.
import { Hono } from 'hono';
import { VisorError } from '../../../shared/errors.js';
import { resolveApiKey } from '../http/api-key.js';
import type { AppEnv, RouteDeps } from '../http/env.js';
import { imageResponse } from '../http/responses.js';

export function staticRoutes({ services }: RouteDeps) {
  return new Hono<AppEnv>().get('/:api_key/images/:image_id', async (c) => {
    try {
      const svc = await resolveApiKey(services, c.req.param('api_key'), 'recognition');
      return imageResponse(c, await services.getExampleImage(svc, c.req.param('image_id')));
    } catch (e) {
      if (e instanceof VisorError) return imageResponse(c, undefined);
      throw e;
    }
  });
}
