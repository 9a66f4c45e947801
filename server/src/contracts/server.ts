// Contracts of the server's housekeeping endpoints under /api/v1: the client-visible limits, CompreFace's
// consistency check and migration, and the example image with the key in the path (for <img src>).
import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { ClientConfig, ConsistenceStatus } from '../../../shared/api/face-service.js';
import { errorResponses, imageBytes, jsonOk } from './common.js';

const tags = ['Server'];

export const clientConfig = createRoute({
  method: 'get',
  path: '/',
  tags,
  summary: 'Client-visible limits',
  security: [],
  responses: { 200: jsonOk(ClientConfig), ...errorResponses },
});

export const consistenceStatus = createRoute({
  method: 'get',
  path: '/consistence/status',
  tags,
  summary: "CompreFace's consistency check (always consistent in Visor)",
  security: [],
  responses: { 200: jsonOk(ConsistenceStatus), ...errorResponses },
});

export const migrate = createRoute({
  method: 'post',
  path: '/migrate',
  tags,
  summary: "CompreFace's embedding migration: answered as CompreFace, nothing to run in Visor",
  security: [],
  responses: {
    200: { description: 'OK', content: { 'text/plain': { schema: z.string() } } },
    ...errorResponses,
  },
});

export const staticImage = createRoute({
  method: 'get',
  path: '/{api_key}/images/{image_id}',
  tags: ['Face collection'],
  summary: 'Download an example image, key in the path (for <img src>)',
  description: 'Any failure (bad key, unknown image) is an empty 200, as CompreFace.',
  security: [],
  request: {
    params: z.object({
      api_key: z.string().meta({ format: 'uuid' }),
      image_id: z.string().meta({ format: 'uuid' }),
    }),
  },
  responses: { 200: imageBytes, ...errorResponses },
});
