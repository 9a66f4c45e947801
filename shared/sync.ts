// The device sync protocol (server/src/routes/sync.ts, web/src/lib/db/sync.ts): the pull and push bodies and the
// push limits, as types and constants without zod (the wire schemas, which the server checks: api/sync.ts).
//
// Conflict rule: the server is the source of truth. A pull's removals and updates overwrite the device's copy
// of anything the server has. Device additions are never lost: a pushed example keeps its device-made UUID as
// its image_id, so a retried push is idempotent ("exists"), and an example pushed for a subject that was
// deleted on the server meanwhile re-creates that subject. An example embedded by another model than the
// service's embedder is rejected (it could not be compared; a device re-embeds it). Events are append-only,
// deduplicated per device.

import type { z } from 'zod';
import type * as api from './api/sync.js';

export { MAX_PUSH_EVENTS, MAX_PUSH_EXAMPLES } from './sync-limits.js';

// The wire types are the contract's (shared/api/sync.ts); type-only, so the browser bundle holds no zod.
/** One page of changes since a cursor, or a snapshot without one. */
export type SyncPull = z.infer<typeof api.SyncPull>;
/** `GET sync/config`: what a device needs before it starts its engine (issue 17.1). */
export type SyncConfig = z.infer<typeof api.SyncConfig>;
export type SyncPushExample = z.infer<typeof api.SyncPushExample>;
export type SyncPushEvent = z.infer<typeof api.SyncPushEvent>;
export type SyncPushBody = z.infer<typeof api.SyncPushBody>;
export type SyncPushResult = z.infer<typeof api.SyncPushResult>;
