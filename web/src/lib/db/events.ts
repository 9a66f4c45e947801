// Recognition events: written by the kiosk, queued until pushed to the server.
import { database, type EventRow, type VisorDb } from './database.js';

export async function recordEvent(
  ev: Omit<EventRow, 'id' | 'pending'>,
  db: VisorDb = database(),
): Promise<number> {
  return (await db.events.add({ ...ev, pending: 1 })) as number;
}

/** The oldest `limit` queued events of a collection. */
export async function queuedEvents(
  collection: string,
  limit = 500,
  db: VisorDb = database(),
): Promise<EventRow[]> {
  return (await db.events.where('[collection+pending]').equals([collection, 1]).sortBy('at')).slice(0, limit);
}

export function countQueuedEvents(collection: string, db: VisorDb = database()): Promise<number> {
  return db.events.where('[collection+pending]').equals([collection, 1]).count();
}

export async function markEventsPushed(ids: number[], db: VisorDb = database()): Promise<void> {
  await db.events.where('id').anyOf(ids).modify({ pending: 0 });
}
