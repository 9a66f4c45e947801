// Sync of a local collection with a recognition service (server/src/routes/sync.ts): pull subjects and
// embeddings since the saved cursor (a snapshot the first time), then push examples enrolled here and queued
// events. The server is the source of truth for what it has; device additions are kept until pushed (conflict
// rule: shared/sync.ts). An example embedded by another model than the service's is not pushed and stays queued
// until the kiosk re-embeds it with the service's model (web/src/kiosk/reembed.ts): a model switch loses none.
import {
  MAX_PUSH_EXAMPLES,
  type SyncConfig,
  type SyncPull,
  type SyncPushEvent,
  type SyncPushExample,
  type SyncPushResult,
} from '../../../../shared/sync.js';
import { database, type ExampleRow, type VisorDb } from './database.js';
import { markEventsPushed, queuedEvents } from './events.js';
import { pendingExamples } from './examples.js';
import { saveSyncState, syncState } from './sync-state.js';

export interface SyncTarget {
  /** The recognition service's API key. */
  apiKey: string;
  /** Server origin (default: this page's). */
  origin?: string;
}

export interface SyncReport {
  pulledExamples: number;
  removedExamples: number;
  pushedExamples: number;
  rejectedExamples: number;
  pushedEvents: number;
  threshold: number | null;
  /** Queued examples of another model than the service's: kept, not pushed, until re-embedded. */
  otherModelExamples: number;
}

async function call<T>(target: SyncTarget, path: string, init: RequestInit = {}): Promise<T> {
  const url = new URL(`/api/v1/recognition/sync/${path}`, target.origin ?? location.origin);
  const res = await fetch(url, {
    ...init,
    cache: 'no-store',
    headers: { 'x-api-key': target.apiKey, 'content-type': 'application/json' },
  });
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as { message?: string };
    throw new Error(`sync ${path}: ${body.message ?? `HTTP ${res.status}`}`);
  }
  return res.json() as Promise<T>;
}

async function base64(blob: Blob): Promise<string> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

const serviceConfig = (target: SyncTarget) => call<SyncConfig>(target, 'config');

/**
 * The embedder the service compares (`GET sync/config`, issue 17.1): the browser engine must load that model, or
 * its embeddings cannot be compared with the service's. Returns the manifest model id, e.g. `faceapi-recognition`.
 */
export async function serviceEmbedder(target: SyncTarget): Promise<string> {
  return (await serviceConfig(target)).model;
}

/** Applies one pull page; a snapshot (no cursor before) also drops server examples the server no longer has. */
async function applyPull(
  db: VisorDb,
  collection: string,
  body: SyncPull,
  snapshot: boolean,
): Promise<number> {
  let removed = 0;
  await db.transaction('rw', db.subjects, db.examples, async () => {
    const ids = body.removed_examples;
    if (snapshot) {
      const keep = new Set(body.examples.map((e) => e.image_id));
      const stale = (await db.examples.where('collection').equals(collection).toArray())
        .filter((e) => e.origin === 'server' && !keep.has(e.id))
        .map((e) => e.id);
      ids.push(...stale);
    }
    removed += ids.length;
    await db.examples.bulkDelete(ids);
    for (const name of body.removed_subjects) {
      // Device examples still waiting to be pushed keep their subject (they re-create it on the server).
      const pending = await db.examples
        .where('[collection+subject]')
        .equals([collection, name])
        .filter((e) => e.pending === 1)
        .count();
      if (pending) continue;
      await db.examples.where('[collection+subject]').equals([collection, name]).delete();
      await db.subjects.delete([collection, name]);
    }
    const now = Date.now();
    await db.subjects.bulkPut(
      body.subjects.map((name) => ({ collection, name, updatedAt: now, local: 0 as const })),
    );
    const rows: ExampleRow[] = body.examples.map((e) => ({
      id: e.image_id,
      collection,
      subject: e.subject,
      embedding: Float32Array.from(e.embedding),
      model: body.embedder,
      createdAt: now,
      origin: 'server',
      pending: 0,
    }));
    // Keep thumbnails of examples this device made (the server never sends images).
    for (const r of rows) {
      const mine = await db.examples.get(r.id);
      if (mine?.thumbnail) r.thumbnail = mine.thumbnail;
      if (mine) r.origin = mine.origin;
    }
    await db.examples.bulkPut(rows);
  });
  return removed;
}

/** One full sync of `collection`; throws when the server cannot be reached (the caller retries later). */
export async function syncCollection(
  collection: string,
  target: SyncTarget,
  db: VisorDb = database(),
): Promise<SyncReport> {
  const state = await syncState(collection, db);
  const deviceId = state.deviceId ?? crypto.randomUUID();
  const report: SyncReport = {
    pulledExamples: 0,
    removedExamples: 0,
    pushedExamples: 0,
    rejectedExamples: 0,
    pushedEvents: 0,
    threshold: state.threshold ?? null,
    otherModelExamples: 0,
  };
  let cursor = state.cursor;
  let embedder = '';
  for (;;) {
    const body = await call<SyncPull>(target, `pull${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`);
    report.removedExamples += await applyPull(db, collection, body, cursor === null);
    report.pulledExamples += body.examples.length;
    report.threshold = body.threshold;
    embedder = body.embedder;
    cursor = body.cursor;
    await saveSyncState(
      { ...state, collection, cursor, deviceId, threshold: body.threshold, pulledAt: Date.now() },
      db,
    );
    if (!body.more) break;
  }

  // the service refuses another model's vectors: those wait, queued, for the new model (never dropped)
  const queued = await pendingExamples(collection, db);
  const examples = queued.filter((e) => e.model === embedder).slice(0, MAX_PUSH_EXAMPLES);
  report.otherModelExamples = queued.filter((e) => e.model !== embedder).length;
  const events = await queuedEvents(collection, 500, db);
  if (examples.length || events.length) {
    const res = await call<SyncPushResult>(target, 'push', {
      method: 'POST',
      body: JSON.stringify({
        device_id: deviceId,
        examples: await Promise.all(
          examples.map(async (e): Promise<SyncPushExample> => ({
            image_id: e.id,
            subject: e.subject,
            embedding: Array.from(e.embedding),
            embedder: e.model,
            ...(e.thumbnail ? { image: await base64(e.thumbnail) } : {}),
          })),
        ),
        events: events.map((e): SyncPushEvent => ({
          event_id: String(e.id),
          at: e.at,
          subject: e.subject,
          similarity: Math.max(0, Math.min(1, e.similarity)),
          box: e.box,
        })),
      }),
    });
    // An accepted example leaves the queue, and so does one refused for its content (it would fail forever), but
    // not one refused because the service switched model since the pull: it waits to be re-embedded.
    const rejected = res.examples.filter((r) => r.status === 'rejected');
    const now = rejected.length ? (await serviceConfig(target)).embedder : embedder;
    const model = new Map(examples.map((e) => [e.id, e.model]));
    const done = res.examples.filter((r) => r.status !== 'rejected' || model.get(r.image_id) === now);
    await db.examples.bulkUpdate(done.map((r) => ({ key: r.image_id, changes: { pending: 0 as const } })));
    report.pushedExamples = res.examples.length - rejected.length;
    report.rejectedExamples = done.length - report.pushedExamples;
    report.otherModelExamples += res.examples.length - done.length;
    await markEventsPushed(
      events.map((e) => e.id!),
      db,
    );
    report.pushedEvents = events.length;
    await saveSyncState({ ...(await syncState(collection, db)), pushedAt: Date.now() }, db);
  }
  return report;
}
