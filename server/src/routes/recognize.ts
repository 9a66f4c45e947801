// /api/v1/recognition/recognize: who is in this image (contracts/analysis.ts).
import { recognize } from '../contracts/analysis.js';
import { imageOptions, matchOptions } from '../contracts/common.js';
import { apiKey } from '../http/api-key.js';
import { contractApp } from '../http/contract.js';
import type { AppEnv, RouteDeps } from '../http/env.js';
import { readImage } from '../http/images.js';

export function recognizeRoutes({ services, config }: RouteDeps) {
  return contractApp<AppEnv>().openapi(
    { ...recognize, middleware: [apiKey(services, 'recognition')] },
    async (c) => {
      const query = c.req.valid('query');
      const q = { ...imageOptions(query), ...matchOptions(query) };
      const image = await readImage(c, config);
      return c.json(await services.recognize(c.var.service, image, q), 200);
    },
  );
}
