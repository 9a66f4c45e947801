// /api/v1/verification/verify: is the face of `source_image` among the faces of `target_image`
// (contracts/analysis.ts).
import { verifyImages } from '../contracts/analysis.js';
import { imageOptions } from '../contracts/common.js';
import { apiKey } from '../http/api-key.js';
import { contractApp } from '../http/contract.js';
import type { AppEnv, RouteDeps } from '../http/env.js';
import { readImages } from '../http/images.js';

export function verifyRoutes({ services, config }: RouteDeps) {
  return contractApp<AppEnv>().openapi(
    { ...verifyImages, middleware: [apiKey(services, 'verification')] },
    async (c) => {
      const q = imageOptions(c.req.valid('query'));
      const { source_image, target_image } = await readImages(c, ['source_image', 'target_image'], config);
      return c.json(await services.verifyImages(c.var.service, source_image, target_image, q), 200);
    },
  );
}
