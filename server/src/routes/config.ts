// /api/v1/config: the client-visible limits (bytes), as CompreFace's ConfigDto.
import { Hono } from 'hono';
import type { AppEnv, RouteDeps } from '../http/env.js';

export function configRoutes({ config }: RouteDeps) {
  return new Hono<AppEnv>().get('/', (c) =>
    c.json({ clientMaxFileSize: config.maxFileSize, clientMaxBodySize: config.maxBodySize }),
  );
}
