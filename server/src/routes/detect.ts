// /api/v1/detection/detect: where the faces are (contracts/analysis.ts).
import { detect } from '../contracts/analysis.js';
import { imageOptions } from '../contracts/common.js';
import { apiKey } from '../http/api-key.js';
import { contractApp } from '../http/contract.js';
import type { AppEnv, RouteDeps } from '../http/env.js';
import { readImage } from '../http/images.js';

export function detectRoutes({ services, config }: RouteDeps) {
  return contractApp<AppEnv>().openapi(
    { ...detect, middleware: [apiKey(services, 'detection')] },
    async (c) => {
      const q = imageOptions(c.req.valid('query'));
      const image = await readImage(c, config);
      return c.json(await services.detect(c.var.service, image, q), 200);
    },
  );
}
