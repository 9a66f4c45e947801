// Device sync storage: the change log (sync_changes, filled by the triggers of 003_sync.sql), snapshots of a
// service's subjects and embedded examples, and pushed recognition events (device-made examples are written by
// the collection store, server/src/collections).
import type { Queryable } from '../db/types.js';

export interface ChangeRow {
  seq: string;
  kind: 'subject' | 'example';
  key: string;
  oldName: string | null;
}

export interface SyncExample {
  id: string;
  subject: string;
  vector: Uint8Array;
}

export interface SyncEvent {
  deviceId: string;
  eventId: string;
  at: Date;
  subject: string | null;
  similarity: number;
  box: { x_min: number; y_min: number; x_max: number; y_max: number };
}

const list = (ids: readonly string[]) => ids.join(',');

/** The newest change sequence number of the whole log ('0' when empty). */
export async function latestChange(q: Queryable): Promise<string> {
  const rows = await q.query<{ seq: string | null }>('select max(seq)::text as seq from sync_changes');
  return rows[0]?.seq ?? '0';
}

/** Up to `limit` changes of a service after `cursor`, oldest first. */
export async function changesSince(
  q: Queryable,
  serviceId: string,
  cursor: string,
  limit: number,
): Promise<ChangeRow[]> {
  return q.query<ChangeRow>(
    `select seq::text as seq, kind, key, old_name as "oldName" from sync_changes
      where service_id = $1 and seq > $2::bigint order by seq limit $3`,
    [serviceId, cursor, limit],
  );
}

/** Names of those of `ids` that still exist (all subjects of the service when `ids` is undefined). */
export async function subjectNames(
  q: Queryable,
  serviceId: string,
  ids?: readonly string[],
): Promise<string[]> {
  if (ids && !ids.length) return [];
  const rows = await q.query<{ name: string }>(
    ids
      ? `select name from subjects where service_id = $1 and id = any(string_to_array($2, ',')::uuid[]) order by name`
      : 'select name from subjects where service_id = $1 order by name',
    ids ? [serviceId, list(ids)] : [serviceId],
  );
  return rows.map((r) => r.name);
}

/** Examples (with their `embedder` vector) among `ids`, or all of the service when `ids` is undefined. */
export async function embeddedExamples(
  q: Queryable,
  serviceId: string,
  embedder: string,
  ids?: readonly string[],
): Promise<SyncExample[]> {
  if (ids && !ids.length) return [];
  return q.query<SyncExample>(
    `select e.id, s.name as subject, v.vector
       from examples e join subjects s on s.id = e.subject_id
       join embeddings v on v.example_id = e.id and v.embedder = $2
      where e.service_id = $1 ${ids ? `and e.id = any(string_to_array($3, ',')::uuid[])` : ''}
      order by e.created_at, e.id`,
    ids ? [serviceId, embedder, list(ids)] : [serviceId, embedder],
  );
}

/** Inserts events, skipping those already received; returns how many were new. */
export async function insertEvents(
  q: Queryable,
  serviceId: string,
  events: readonly SyncEvent[],
): Promise<number> {
  let added = 0;
  for (const e of events) {
    const rows = await q.query(
      `insert into sync_events (service_id, device_id, event_id, at, subject, similarity, box)
       values ($1, $2, $3, $4, $5, $6, $7::jsonb) on conflict do nothing returning event_id`,
      [serviceId, e.deviceId, e.eventId, e.at.toISOString(), e.subject, e.similarity, JSON.stringify(e.box)],
    );
    added += rows.length;
  }
  return added;
}

/** The most recent events of a service (newest first). */
export async function listEvents(q: Queryable, serviceId: string, limit: number): Promise<SyncEvent[]> {
  const rows = await q.query<SyncEvent & { box: SyncEvent['box'] | string }>(
    `select device_id as "deviceId", event_id as "eventId", at, subject, similarity, box
       from sync_events where service_id = $1 order by at desc limit $2`,
    [serviceId, limit],
  );
  return rows.map((r) => ({
    ...r,
    at: new Date(r.at),
    box: typeof r.box === 'string' ? (JSON.parse(r.box) as SyncEvent['box']) : r.box,
  }));
}
