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

/**
 * The newest change sequence number of the service's log ('0' when empty). Per service: a number of another
 * service's log may be newer than a change of this one still being written (each service's log is ordered alone).
 */
export async function latestChange(q: Queryable, serviceId: string): Promise<string> {
  const rows = await q.query<{ seq: string | null }>(
    'select max(seq)::text as seq from sync_changes where service_id = $1',
    [serviceId],
  );
  return rows[0]?.seq ?? '0';
}

/**
 * Takes the service's change-log lock until the transaction ends (008_sync_log_order.sql): the log's triggers
 * take it before numbering a change; a write takes it first, before the rows it writes. False when the service
 * no longer exists (deleted by a transaction that held the lock before).
 */
export async function lockChangeLog(tx: Queryable, serviceId: string): Promise<boolean> {
  const rows = await tx.query<{ ok: boolean }>('select sync_log_lock($1::uuid) as ok', [serviceId]);
  return rows[0]?.ok === true;
}

/** Takes the change-log locks of every service of the application, in one order (before it is deleted). */
export async function lockApplicationLogs(tx: Queryable, applicationId: string): Promise<void> {
  await tx.query(
    'select sync_log_lock(id) from (select id from services where application_id = $1 order by id) s',
    [applicationId],
  );
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

/** What `listEvents` and `countEvents` select on (all optional). */
export interface EventWhere {
  /** Part of the subject's name, case-insensitive. */
  subject?: string;
  /** true: subject is null; false: subject is not null. */
  unknown?: boolean;
  device?: string;
  from?: Date;
  to?: Date;
}

/** The where clause of a filtered event query and its parameters ($1 is the service). */
function eventWhere(serviceId: string, f: EventWhere): { sql: string; params: unknown[] } {
  const params: unknown[] = [serviceId];
  const terms = ['service_id = $1'];
  const add = (term: (n: string) => string, value: unknown) => {
    params.push(value);
    terms.push(term(`$${params.length}`));
  };
  // strpos, not like: the user's text is matched literally, % and _ included
  if (f.subject) add((n) => `strpos(lower(subject), lower(${n}::text)) > 0`, f.subject);
  if (f.unknown !== undefined) terms.push(f.unknown ? 'subject is null' : 'subject is not null');
  if (f.device) add((n) => `device_id = ${n}`, f.device);
  if (f.from) add((n) => `at >= ${n}::timestamptz`, f.from.toISOString());
  if (f.to) add((n) => `at < ${n}::timestamptz`, f.to.toISOString());
  return { sql: terms.join(' and '), params };
}

/** A service's events matching `where`, newest first (ties in a fixed order, so pages do not overlap). */
export async function listEvents(
  q: Queryable,
  serviceId: string,
  where: EventWhere,
  page: { limit: number; offset?: number },
): Promise<SyncEvent[]> {
  const w = eventWhere(serviceId, where);
  const n = w.params.length;
  const rows = await q.query<SyncEvent & { box: SyncEvent['box'] | string }>(
    `select device_id as "deviceId", event_id as "eventId", at, subject, similarity, box
       from sync_events where ${w.sql}
      order by at desc, device_id, event_id limit $${n + 1} offset $${n + 2}`,
    [...w.params, page.limit, page.offset ?? 0],
  );
  return rows.map((r) => ({
    ...r,
    at: new Date(r.at),
    box: typeof r.box === 'string' ? (JSON.parse(r.box) as SyncEvent['box']) : r.box,
  }));
}

/** How many of a service's events match `where`. */
export async function countEvents(q: Queryable, serviceId: string, where: EventWhere): Promise<number> {
  const w = eventWhere(serviceId, where);
  const rows = await q.query<{ n: number }>(
    `select count(*)::int as n from sync_events where ${w.sql}`,
    w.params,
  );
  return Number(rows[0]?.n ?? 0);
}

/** The devices that pushed events to a service, sorted. */
export async function eventDevices(q: Queryable, serviceId: string): Promise<string[]> {
  const rows = await q.query<{ device_id: string }>(
    'select distinct device_id from sync_events where service_id = $1 order by device_id',
    [serviceId],
  );
  return rows.map((r) => r.device_id);
}
