// Search-index change notifications between server processes sharing one PostgreSQL (LISTEN/NOTIFY).
// Published inside the writing transaction, so listeners hear of a change only once it is committed.
import type { Db, Queryable } from '../db/types.js';

const CHANNEL = 'visor_index';

/** What changed in one service's collection; receivers re-read the rows they need. */
export type IndexChange =
  | { origin: string; service: string; op: 'add' | 'remove'; ids: string[] }
  | { origin: string; service: string; op: 'reload' };

/** NOTIFY payloads are limited to 8000 bytes: long id lists become a reload. */
const MAX_IDS = 150;

export async function publishIndexChange(q: Queryable, change: IndexChange): Promise<void> {
  const c: IndexChange =
    'ids' in change && change.ids.length > MAX_IDS
      ? { origin: change.origin, service: change.service, op: 'reload' }
      : change;
  if ('ids' in c && !c.ids.length) return;
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
