// Contracts of /api/v1/recognition/sync: device sync for a recognition service (x-api-key). The push body's rules
// are the sync service's (services/sync.ts: per-example results, 26 for a malformed request); the events' filter
// is read by http/event-query.ts (26 for a bad value).
import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { KioskEventPage, SyncConfig, SyncPull, SyncPushResult } from '../../../shared/api/sync.js';
import { EVENTS_DEFAULT_LIMIT, EVENTS_MAX_LIMIT } from '../../../shared/sync-events.js';
import { checked, queryParam } from '../http/contract.js';
import { errorResponses, jsonOk } from './common.js';

const tags = ['Sync'];
/** Documents a parameter its route reads itself (http/event-query.ts). */
const documented = (doc: Record<string, unknown>) => queryParam((v) => v, doc);

export const syncConfig = createRoute({
  method: 'get',
  path: '/config',
  tags,
  summary: "The service's embedder (the model a device's engine loads) and threshold",
  responses: { 200: jsonOk(SyncConfig), ...errorResponses },
});

export const syncPull = createRoute({
  method: 'get',
  path: '/pull',
  tags,
  summary: 'Subjects and embeddings changed since the cursor (a snapshot without one)',
  request: {
    query: z.object({
      // as given (untrimmed), blank = none
      cursor: checked((v) => (Array.isArray(v) ? v[0] : v) as string | undefined).meta({
        type: 'string',
        description: "The previous pull's cursor.",
      }),
    }),
  },
  responses: { 200: jsonOk(SyncPull), ...errorResponses },
});

export const syncPush = createRoute({
  method: 'post',
  path: '/push',
  tags,
  summary: 'Examples enrolled on a device and its queued recognition events',
  description:
    'The server is the source of truth; a pushed example keeps its device-made image_id, so a retried push answers "exists". Events are deduplicated per device.',
  request: {
    body: {
      required: true,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/SyncPushBody' } } },
    },
  },
  responses: { 200: jsonOk(SyncPushResult), ...errorResponses },
});

const filter = {
  subject: documented({
    type: 'string',
    maxLength: 255,
    description: "Part of the subject's name, any case.",
  }),
  unknown: documented({
    type: 'boolean',
    description: 'true: unrecognised faces only; false: recognised ones only.',
  }),
  device: documented({ type: 'string', maxLength: 64, description: 'A device id, exactly.' }),
  from: documented({
    type: 'string',
    format: 'date-time',
    description: 'Inclusive; a date or an ISO 8601 date-time.',
  }),
  to: documented({
    type: 'string',
    format: 'date-time',
    description: 'Exclusive; a date or an ISO 8601 date-time.',
  }),
};

export const syncEvents = createRoute({
  method: 'get',
  path: '/events',
  tags,
  summary: 'The events devices pushed, newest first, filtered and paged',
  request: {
    query: z.object({
      ...filter,
      limit: documented({
        type: 'integer',
        minimum: 1,
        maximum: EVENTS_MAX_LIMIT,
        default: EVENTS_DEFAULT_LIMIT,
      }),
      offset: documented({ type: 'integer', minimum: 0, default: 0 }),
    }),
  },
  responses: { 200: jsonOk(KioskEventPage), ...errorResponses },
});

export const syncEventsCsv = createRoute({
  method: 'get',
  path: '/events.csv',
  tags,
  summary: 'Every event matching the same filter, as CSV (the newest 100,000 at most)',
  request: { query: z.object(filter) },
  responses: {
    200: { description: 'RFC 4180 CSV', content: { 'text/csv': { schema: { type: 'string' as const } } } },
    ...errorResponses,
  },
});
