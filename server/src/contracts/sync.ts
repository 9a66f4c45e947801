// Contracts of /api/v1/recognition/sync: device sync for a recognition service (x-api-key). The push body's
// request-level rules are the wire schema's (shared/api/sync.ts), refused with 26 and the sentences devices know;
// each example is answered in the result by the sync service (services/sync.ts). The events' filter and paging
// are read here (26 for a bad value).
import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import {
  KioskEventPage,
  SyncConfig,
  SyncPull,
  SyncPushBody,
  SyncPushResult,
} from '../../../shared/api/sync.js';
import { ValidationError } from '../../../shared/errors.js';
import { EVENTS_DEFAULT_LIMIT, EVENTS_MAX_LIMIT } from '../../../shared/sync-events.js';
import { MAX_PUSH_EVENTS, MAX_PUSH_EXAMPLES } from '../../../shared/sync-limits.js';
import { answered, checked, givenValue, queryParam } from '../http/contract.js';
import { instantValue, textValue } from '../http/event-query.js';
import { boolValue, intValue } from '../http/query.js';
import { errorResponses, jsonBody, jsonOk } from './common.js';

const tags = ['Sync'];

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
      cursor: checked(givenValue).meta({
        type: 'string',
        description: "The previous pull's cursor.",
      }),
    }),
  },
  responses: { 200: jsonOk(SyncPull), ...errorResponses },
});

const refuse = (message: string) => () => new ValidationError(message);
/** SyncPushBody's rules, each field refused (26) with the sentence devices have always been given. */
const pushBody = SyncPushBody.extend({
  device_id: answered(
    SyncPushBody.shape.device_id,
    refuse('device_id must be a string of 1 to 64 characters'),
  ),
  examples: answered(
    SyncPushBody.shape.examples,
    refuse(`examples must be an array of at most ${MAX_PUSH_EXAMPLES}`),
  ),
  // one malformed event refuses the push
  events: answered(SyncPushBody.shape.events, ({ path }) =>
    path.length
      ? new ValidationError(`events[${String(path[0])}] is malformed`)
      : new ValidationError(`events must be an array of at most ${MAX_PUSH_EVENTS}`),
  ),
}).meta({ id: 'SyncPushBody' });

export const syncPush = createRoute({
  method: 'post',
  path: '/push',
  tags,
  summary: 'Examples enrolled on a device and its queued recognition events',
  description:
    'The server is the source of truth; a pushed example keeps its device-made image_id, so a retried push answers "exists". Events are deduplicated per device.',
  request: { body: jsonBody(pushBody) },
  responses: { 200: jsonOk(SyncPushResult), ...errorResponses },
});

/** The filter, in the order its parameters are checked. */
const filter = {
  subject: queryParam((v) => textValue('subject', v, 255), {
    type: 'string',
    maxLength: 255,
    description: "Part of the subject's name, any case.",
  }),
  device: queryParam((v) => textValue('device', v, 64), {
    type: 'string',
    maxLength: 64,
    description: 'A device id, exactly.',
  }),
  from: queryParam((v) => instantValue('from', v), {
    type: 'string',
    format: 'date-time',
    description: 'Inclusive; a date or an ISO 8601 date-time.',
  }),
  to: queryParam((v) => instantValue('to', v), {
    type: 'string',
    format: 'date-time',
    description: 'Exclusive; a date or an ISO 8601 date-time.',
  }),
  unknown: queryParam((v) => (v === undefined ? undefined : boolValue('unknown', v, false)), {
    type: 'boolean',
    description: 'true: unrecognised faces only; false: recognised ones only.',
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
      limit: queryParam((v) => intValue('limit', v, EVENTS_DEFAULT_LIMIT, 1, EVENTS_MAX_LIMIT), {
        type: 'integer',
        minimum: 1,
        maximum: EVENTS_MAX_LIMIT,
        default: EVENTS_DEFAULT_LIMIT,
      }),
      offset: queryParam((v) => intValue('offset', v, 0, 0), { type: 'integer', minimum: 0, default: 0 }),
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
