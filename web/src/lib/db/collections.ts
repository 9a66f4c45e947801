// Whole local collections: forgetting one (its subjects, examples, events and sync state) when the key it is
// named after leaves the device (log-out of the session that brought it).
import { database, type VisorDb } from './database.js';

/** Deletes everything the device kept for `collection`; resolves when done (no-op when there is none). */
export async function forgetCollection(collection: string, db: VisorDb = database()): Promise<void> {
  await db.transaction('rw', [db.subjects, db.examples, db.events, db.sync], async () => {
    await db.subjects.where('collection').equals(collection).delete();
    await db.examples.where('collection').equals(collection).delete();
    await db.events.where('collection').equals(collection).delete();
    await db.sync.delete(collection);
  });
}
