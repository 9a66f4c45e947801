// The embedding endpoints (mounted at /api/v1): recognize embeddings, verify them against an example or each other
// (contracts/embeddings.ts).
import { matchOptions } from '../contracts/common.js';
import * as api from '../contracts/embeddings.js';
import { apiKey } from '../http/api-key.js';
import { contractApp, openapiJson } from '../http/contract.js';
import type { AppEnv, RouteDeps } from '../http/env.js';

export function embeddingRoutes({ services }: RouteDeps) {
  const app = contractApp<AppEnv>();
  const recognition = [apiKey(services, 'recognition')];
  openapiJson(app, { ...api.recognizeEmbeddings, middleware: recognition }, async (c) => {
    const q = matchOptions(c.req.valid('query'));
    return c.json(await services.recognizeEmbeddings(c.var.service, c.req.valid('json').embeddings, q), 200);
  });
  openapiJson(app, { ...api.verifyEmbeddingsAgainstExample, middleware: recognition }, async (c) => {
    const { image_id } = c.req.valid('param');
    const { embeddings } = c.req.valid('json');
    return c.json(await services.verifyEmbeddingsAgainstExample(c.var.service, image_id, embeddings), 200);
  });
  openapiJson(app, { ...api.verifyEmbeddings, middleware: [apiKey(services, 'verification')] }, async (c) => {
    const { source, targets } = c.req.valid('json');
    return c.json(await services.verifyEmbeddings(c.var.service, source, targets), 200);
  });
  return app;
}
