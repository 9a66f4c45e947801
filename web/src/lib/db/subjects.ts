// Subjects of a local collection (mirrors server/src/repositories/subjects.ts).
import { database, type SubjectRow, type VisorDb } from './database.js';

export function listSubjects(collection: string, db: VisorDb = database()): Promise<SubjectRow[]> {
  return db.subjects.where('collection').equals(collection).sortBy('name');
}

/** Adds a device-made subject unless the collection already has it. */
export async function ensureSubject(
  collection: string,
  name: string,
  db: VisorDb = database(),
): Promise<void> {
  await db.transaction('rw', db.subjects, async () => {
    if (!(await db.subjects.get([collection, name])))
      await db.subjects.put({ collection, name, updatedAt: Date.now(), local: 1 });
  });
}

/** Removes a subject and its examples (a server deletion or a local one). */
export async function deleteSubject(
  collection: string,
  name: string,
  db: VisorDb = database(),
): Promise<void> {
  await db.transaction('rw', db.subjects, db.examples, async () => {
    await db.subjects.delete([collection, name]);
    await db.examples.where('[collection+subject]').equals([collection, name]).delete();
  });
}
