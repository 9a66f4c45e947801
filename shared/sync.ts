// The device sync protocol (server/src/routes/sync.ts, web/src/lib/db/sync.ts): the pull and push bodies,
// the push limits, and the check every pushed event must pass.
//
// Conflict rule: the server is the source of truth. A pull's removals and updates overwrite the device's copy
// of anything the server has. Device additions are never lost: a pushed example keeps its device-made UUID as
// its image_id, so a retried push is idempotent ("exists"), and an example pushed for a subject that was
// deleted on the server meanwhile re-creates that subject. An example embedded by another model than the
// server's engine is rejected (it could not be compared). Events are append-only, deduplicated per device.

export const MAX_PUSH_EXAMPLES = 100;
export const MAX_PUSH_EVENTS = 1000;

/** One page of changes since a cursor, or a snapshot without one. */
export interface SyncPull {
  cursor: string;
  /** More changes wait: pull again with `cursor`. */
  more: boolean;
  embedder: string;
  /** The service's minimum similarity, or null when it has none (devices use their own default). */
  threshold: number | null;
  subjects: string[];
  removed_subjects: string[];
  examples: { image_id: string; subject: string; embedding: number[] }[];
  removed_examples: string[];
}

/** `GET sync/config`: what a device needs before it starts its engine (issue 17.1). */
export interface SyncConfig {
  /** The embedder key the service compares (`faceapi-recognition@1`): pushed embeddings must come from it. */
  embedder: string;
  /** Its manifest model id, which the device's engine loads. */
  model: string;
  /** Embedding size. */
  dim: number;
  /** As in a pull. */
  threshold: number | null;
}

export interface SyncPushExample {
  image_id: string;
  subject: string;
  embedding: number[];
  embedder: string;
  /** Base64 JPEG or PNG of the face. */
  image?: string;
}

export interface SyncPushEvent {
  event_id: string;
  /** Epoch milliseconds. */
  at: number;
  subject: string | null;
  similarity: number;
  box: { x_min: number; y_min: number; x_max: number; y_max: number };
}

export interface SyncPushResult {
  examples: { image_id: string; status: 'created' | 'exists' | 'rejected'; message?: string }[];
  events: { received: number; duplicates: number };
}

/**
 * Whether `e` (untrusted JSON) is a well-formed event: an id of at most 64 characters, a finite time, a subject
 * of at most 50 characters or null, a similarity in [0, 1] and a finite box.
 */
export function isSyncPushEvent(e: unknown): e is SyncPushEvent {
  const v = e as Partial<SyncPushEvent> | null | undefined;
  const box = v?.box;
  return Boolean(
    v &&
    typeof v.event_id === 'string' &&
    v.event_id.length <= 64 &&
    Number.isFinite(v.at) &&
    (v.subject === null || (typeof v.subject === 'string' && [...v.subject].length <= 50)) &&
    typeof v.similarity === 'number' &&
    v.similarity >= 0 &&
    v.similarity <= 1 &&
    box &&
    [box.x_min, box.y_min, box.x_max, box.y_max].every((x) => Number.isFinite(x)),
  );
}
