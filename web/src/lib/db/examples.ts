// Examples (embeddings) of a local collection (mirrors server/src/repositories/examples.ts).
import { database, type ExampleRow, type VisorDb } from './database.js';

/** Every example of `collection` embedded by `model` (others cannot be compared with this engine's). */
export async function examplesFor(
  collection: string,
  model: string,
  db: VisorDb = database(),
): Promise<ExampleRow[]> {
  return (await db.examples.where('collection').equals(collection).toArray()).filter(
    (e) => e.model === model,
  );
}

/** Stores an example enrolled on this device, queued for the server. */
export async function addDeviceExample(
  ex: Omit<ExampleRow, 'id' | 'createdAt' | 'origin' | 'pending'>,
  db: VisorDb = database(),
): Promise<ExampleRow> {
  const row: ExampleRow = {
    ...ex,
    id: crypto.randomUUID(),
    createdAt: Date.now(),
    origin: 'device',
    pending: 1,
  };
  await db.transaction('rw', db.subjects, db.examples, async () => {
    if (!(await db.subjects.get([ex.collection, ex.subject])))
      await db.subjects.put({
        collection: ex.collection,
        name: ex.subject,
        updatedAt: row.createdAt,
        local: 1,
      });
    await db.examples.add(row);
  });
  return row;
}

export function pendingExamples(collection: string, db: VisorDb = database()): Promise<ExampleRow[]> {
  return db.examples.where('[collection+pending]').equals([collection, 1]).toArray();
}

/** How many examples of `collection` wait to be pushed (those of another model, to re-embed first, included). */
export function countPendingExamples(collection: string, db: VisorDb = database()): Promise<number> {
  return db.examples.where('[collection+pending]').equals([collection, 1]).count();
}

/**
 * A queued example re-embedded by another model (the service switched embedder before it was pushed): its vector
 * and model replaced, still queued. False when it is no longer queued (pushed or removed meanwhile).
 */
export async function reembedQueuedExample(
  id: string,
  embedding: Float32Array,
  model: string,
  db: VisorDb = database(),
): Promise<boolean> {
  return db.transaction('rw', db.examples, async () => {
    const row = await db.examples.get(id);
    if (row?.pending !== 1) return false;
    await db.examples.put({ ...row, embedding, model });
    return true;
  });
}

/** After a push: the device id becomes the server's image_id. */
export async function markExamplesPushed(
  collection: string,
  ids: { deviceId: string; imageId: string }[],
  db: VisorDb = database(),
): Promise<void> {
  await db.transaction('rw', db.examples, async () => {
    for (const { deviceId, imageId } of ids) {
      const row = await db.examples.get(deviceId);
      if (!row || row.collection !== collection) continue;
      await db.examples.delete(deviceId);
      await db.examples.put({ ...row, id: imageId, pending: 0 });
    }
  });
}

export function countExamples(collection: string, db: VisorDb = database()): Promise<number> {
  return db.examples.where('collection').equals(collection).count();
}
