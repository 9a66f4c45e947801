// Search-index change notifications between server processes sharing one PostgreSQL (LISTEN/NOTIFY).
// Published inside the writing transaction, so listeners hear of a change only once it is committed.
import type { Db, Queryable } from '../db/types.js';

const CHANNEL = 'visor_index';

/**
 * What changed in one service's collection (receivers re-read the rows they need), or which services are gone
 * (`drop`; `resync`: too many to name, re-read every service). `ping`: no change; its sender, hearing it back,
 * knows it has heard every change committed before it (SearchIndexes.settled).
 */
export type IndexChange =
  | { origin: string; service: string; op: 'add' | 'remove'; ids: string[] }
  | { origin: string; service: string; op: 'reload' }
  | { origin: string; op: 'drop'; services: string[] }
  | { origin: string; op: 'resync' }
  | { origin: string; op: 'ping'; id: string };

/** NOTIFY payloads are limited to 8000 bytes: long id lists become a reload (a resync for services). */
const MAX_IDS = 150;

/** The change as it goes on the wire: long lists shortened; undefined when there is nothing to say. */
export function wireIndexChange(change: IndexChange): IndexChange | undefined {
  if (change.op === 'drop') {
    if (!change.services.length) return undefined;
    return change.services.length > MAX_IDS ? { origin: change.origin, op: 'resync' } : change;
  }
  if (change.op !== 'add' && change.op !== 'remove') return change;
  if (!change.ids.length) return undefined;
  return change.ids.length > MAX_IDS
    ? { origin: change.origin, service: change.service, op: 'reload' }
    : change;
}

export async function publishIndexChange(q: Queryable, change: IndexChange): Promise<void> {
  const c = wireIndexChange(change);
  if (!c) return;
  await q.query('select pg_notify($1, $2)', [CHANNEL, JSON.stringify(c)]);
}

/** Calls `onChange` for every change published by any process (including this one: filter by origin). */
export function subscribeIndexChanges(
  db: Db,
  onChange: (change: IndexChange) => void,
  onReconnect: () => void,
): Promise<() => Promise<void>> {
  return db.listen(
    CHANNEL,
    (payload) => {
      let change: IndexChange;
      try {
        change = JSON.parse(payload) as IndexChange;
      } catch {
        return;
      }
      onChange(change);
    },
    onReconnect,
  );
}
