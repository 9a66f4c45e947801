// Wire shapes of the device sync protocol (/api/v1/recognition/sync) as zod schemas: the server documents its
// contracts with them (server/src/contracts/sync.ts); shared/sync.ts and shared/sync-events.ts take their types
// from them (type-only imports: no zod in the browser bundle). The rules: shared/sync.ts.
import { z } from 'zod';
import { MAX_PUSH_EVENTS, MAX_PUSH_EXAMPLES } from '../sync-limits.js';

const box = z.object({ x_min: z.number(), y_min: z.number(), x_max: z.number(), y_max: z.number() });
const threshold = z.number().nullable().meta({
  description: "The service's minimum similarity, or null when it has none (devices use their own default).",
});

export const SyncConfig = z
  .object({
    embedder: z.string().meta({
      description:
        'The embedder key the service compares (e.g. faceapi-recognition@1): pushed embeddings must come from it.',
    }),
    model: z.string().meta({ description: "Its manifest model id, which the device's engine loads." }),
    dim: z.number().int().meta({ description: 'Embedding size.' }),
    threshold,
  })
  .meta({ id: 'SyncConfig' });

export const SyncPull = z
  .object({
    cursor: z.string(),
    more: z.boolean().meta({ description: 'More changes wait: pull again with `cursor`.' }),
    embedder: z.string(),
    threshold,
    subjects: z.array(z.string()),
    removed_subjects: z.array(z.string()),
    examples: z.array(
      z.object({ image_id: z.string(), subject: z.string(), embedding: z.array(z.number()) }),
    ),
    removed_examples: z.array(z.string()),
  })
  .meta({ id: 'SyncPull', description: 'One page of changes since a cursor, or a snapshot without one.' });

/** An example enrolled on a device; the server checks each one (it depends on the service) and answers per example. */
export const SyncPushExample = z
  .object({
    image_id: z.string().meta({ format: 'uuid' }),
    subject: z.string(),
    embedding: z.array(z.number()),
    embedder: z.string(),
    image: z.string().optional().meta({ description: 'Base64 JPEG or PNG of the face.' }),
  })
  .meta({ id: 'SyncPushExample' });

export const SyncPushEvent = z.object({
  event_id: z.string().max(64),
  at: z.number().meta({ description: 'Epoch milliseconds.' }),
  // characters, not UTF-16 units (as JSON Schema's maxLength counts)
  subject: z
    .string()
    .refine((s) => [...s].length <= 50)
    .meta({ maxLength: 50 })
    .nullable(),
  similarity: z.number().min(0).max(1),
  box,
});

/**
 * A push: the request-level rules (a bad device id or list refuses the whole push, as does one malformed event);
 * the examples are any JSON here, each answered in the result (`SyncPushResult.examples`). Null lists are absent.
 */
export const SyncPushBody = z.object({
  device_id: z.string().min(1).max(64),
  examples: z
    .array(z.unknown())
    .max(MAX_PUSH_EXAMPLES)
    .meta({ items: { $ref: '#/components/schemas/SyncPushExample' } })
    .nullish(),
  events: z.array(SyncPushEvent).max(MAX_PUSH_EVENTS).nullish(),
});

export const SyncPushResult = z
  .object({
    examples: z.array(
      z.object({
        image_id: z.string(),
        status: z.enum(['created', 'exists', 'rejected']),
        message: z.string().optional(),
      }),
    ),
    events: z.object({ received: z.number().int(), duplicates: z.number().int() }),
  })
  .meta({ id: 'SyncPushResult' });

export const KioskEvent = z
  .object({
    device_id: z.string(),
    event_id: z.string(),
    at: z.string().meta({ format: 'date-time' }),
    subject: z.string().nullable().meta({ description: 'null: a face nobody matched.' }),
    similarity: z.number(),
    box,
  })
  .meta({ id: 'KioskEvent' });

export const KioskEventPage = z
  .object({
    events: z.array(KioskEvent),
    total: z.number().int().meta({ description: 'How many events match the filter (all pages).' }),
    offset: z.number().int(),
    limit: z.number().int(),
    devices: z
      .array(z.string())
      .meta({ description: 'Every device that pushed events to the service (whatever the filter), sorted.' }),
  })
  .meta({ id: 'KioskEventPage' });
