// Contracts of the server's housekeeping endpoints under /api/v1: the client-visible limits, CompreFace's
// consistency check and migration, and the example image with the key in the path (for <img src>).
import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { ClientConfig, ConsistenceStatus } from '../../../shared/api/face-service.js';
import { intValue } from '../http/query.js';
import { queryParam } from '../http/contract.js';
import { errorResponses, imageBytes, jsonOk } from './common.js';

const tags = ['Server'];

/** The sides a thumbnail of the static image may be asked for (`?size=`), smallest and largest. */
export const THUMBNAIL_SIDES = [16, 1024] as const;

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
  description:
    'Any failure (bad key, unknown image) is an empty 200, as CompreFace. Visor extension: `size` answers a JPEG ' +
    'thumbnail instead of the stored image; a `size` out of range is a 400 (code 26).',
  security: [],
  request: {
    params: z.object({
      api_key: z.string().meta({ format: 'uuid' }),
      image_id: z.string().meta({ format: 'uuid' }),
    }),
    query: z.object({
      size: queryParam((v) => (v === undefined ? undefined : intValue('size', v, 0, ...THUMBNAIL_SIDES)), {
        type: 'integer',
        minimum: THUMBNAIL_SIDES[0],
        maximum: THUMBNAIL_SIDES[1],
        description:
          'Visor extension: a JPEG of the image scaled down so that its longer side is at most this many pixels ' +
          '(never up), turned upright per its EXIF orientation. Absent: the stored image, byte for byte.',
      }),
    }),
  },
  responses: { 200: imageBytes, ...errorResponses },
});
