// The browser engine a synced kiosk needs (issue 17.1): the embedder its recognition service compares, so that the
// embeddings it pulls, makes and pushes are of one model. Offline, the model of the examples already pulled. When
// the service switches embedder, the kiosk pulls its collection afresh (forgetCursor) and loads the new model.
import { embedderModel } from '../../../shared/engine/embedders.js';
import { database, type VisorDb } from '../lib/db/database.js';
import { saveSyncState, syncState } from '../lib/db/sync-state.js';
import { serviceEmbedder, type SyncTarget } from '../lib/db/sync.js';
import type { EngineOptions } from '../lib/inference/browser-engine.js';

/** `options` with the embedder `model` (a model id or key). */
export const withEmbedder = (options: EngineOptions = {}, model: string): EngineOptions => ({
  ...options,
  config: { ...options.config, embedder: embedderModel(model) },
});

/** `options` with the service's embedder (unchanged without a sync target or when nothing tells it). */
export async function serviceEngineOptions(
  options: EngineOptions = {},
  collection: string,
  target: SyncTarget | undefined,
  db: VisorDb = database(),
): Promise<EngineOptions> {
  if (!target) return options;
  const model =
    (await serviceEmbedder(target).catch(() => undefined)) ??
    (await db.examples.where('collection').equals(collection).first())?.model;
  return model ? withEmbedder(options, model) : options;
}

/** Makes the next sync of `collection` a snapshot: every example again, as the service's embedder made it. */
export async function forgetCursor(collection: string, db: VisorDb = database()): Promise<void> {
  await saveSyncState({ ...(await syncState(collection, db)), cursor: null }, db);
}
