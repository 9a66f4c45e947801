// /api/v1/static/{api_key}/images/{image_id}: an example's image with the key in the path, for <img src>; with
// `?size=N` (a Visor extension) a JPEG thumbnail of it, for the collection pages' tiles.
// Any failure (bad key, unknown image) is an empty 200, as CompreFace: an <img> has no use for an error body. A bad
// `size` is a 400 (26) from the contract, before the key is looked at: a client's bug, not an image to hide.
import { VisorError } from '../../../shared/errors.js';
import { staticImage } from '../contracts/server.js';
import { contractApp } from '../http/contract.js';
import { resolveApiKey } from '../http/api-key.js';
import type { AppEnv, RouteDeps } from '../http/env.js';
import { imageResponse } from '../http/responses.js';

export function staticRoutes({ services }: RouteDeps) {
  return contractApp<AppEnv>().openapi(staticImage, async (c) => {
    const { api_key, image_id } = c.req.valid('param');
    const { size } = c.req.valid('query');
    try {
      const svc = await resolveApiKey(services, api_key, 'recognition');
      const image =
        size === undefined
          ? await services.getExampleImage(svc, image_id)
          : await services.getExampleThumbnail(svc, image_id, size);
      return imageResponse(c, image);
    } catch (e) {
      if (e instanceof VisorError) return imageResponse(c, undefined);
      throw e;
    }
  });
}
