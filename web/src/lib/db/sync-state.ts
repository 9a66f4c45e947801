// The sync cursor and last-sync times per collection.
import { database, type SyncRow, type VisorDb } from './database.js';

export async function syncState(collection: string, db: VisorDb = database()): Promise<SyncRow> {
  return (await db.sync.get(collection)) ?? { collection, cursor: null };
}

export async function saveSyncState(row: SyncRow, db: VisorDb = database()): Promise<void> {
  await db.sync.put(row);
}
