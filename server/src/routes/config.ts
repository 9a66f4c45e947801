// /api/v1/config: the client-visible limits (bytes), as CompreFace's ConfigDto (contracts/server.ts).
import { clientConfig } from '../contracts/server.js';
import { contractApp } from '../http/contract.js';
import type { AppEnv, RouteDeps } from '../http/env.js';

export function configRoutes({ config }: RouteDeps) {
  return contractApp<AppEnv>().openapi(clientConfig, (c) =>
    c.json({ clientMaxFileSize: config.maxFileSize, clientMaxBodySize: config.maxBodySize }, 200),
  );
}
