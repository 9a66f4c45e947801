// The collection store: the ONLY code that adds, moves and removes subjects, examples and whole collections
// (API, sync push, re-embedding, admin clone/delete all come here; services keep the rules, repositories the SQL).
//
// Every write is one database transaction together with the image store (SAVE_IMAGES_TO_DB=true: bytes in
// example_images; false: files under VISOR_DATA_DIR/images, written inside the operation, removed again if it
// fails, and removed after the commit for deleted examples) and publishes exactly ONE index notification
// (repositories/index-changes.ts) with the store's `origin`, so other processes update their search indexes;
// this process's own indexes (when given) are updated right after the commit. Reads stay with repositories.
//
//   const store = createCollectionStore({ db, images: createImageStore(...), indexes });  // indexes optional
//   store.createSubject(serviceId, name)             → SubjectRow | undefined (name taken); no notification
//   store.renameSubject(serviceId, from, to)          → { updated }; onto an existing name merges (reload)
//   store.deleteSubject(serviceId, name)              → { subject } with its examples (reload)
//   store.deleteAllSubjects(serviceId)                → { deleted } (reload)
//   store.addExamples(serviceId, NewExample[])        → AddStatus[] ('created' | 'exists' | 'taken') (add ids)
//                                                       StaleEmbedder: a vector not by the service's embedder
//   store.deleteExamples(serviceId, ids)              → deleted ExampleRow[] (remove ids)
//   store.deleteExamplesOf(serviceId, subject?)       → deleted rows; with a subject it goes too (remove ids)
//   store.replaceEmbeddings(serviceId, embedder, [{ exampleId, vector }]) → ids stored (add ids): re-embedding
//   store.cloneService(fromId, newService)            → ServiceRow of the copy (reload of the copy)
//   store.changeService(serviceId, (tx) => …)        → what the callback returns (reload): e.g. a new embedder
//   store.deleteService({ id, type }) / store.deleteApplication(appId) (drop the services)
//
// Operations that throw (SubjectNotFound, a database error) roll back, publish nothing and leave no files.
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/types.js';
import type { ImageStore } from '../repositories/images.js';
import type { SearchIndexes } from '../search/service-indexes.js';
import { exampleWrites } from './examples.js';
import { serviceWrites } from './services.js';
import { subjectWrites } from './subjects.js';

export type { AddStatus, NewExample } from './examples.js';
export { contentTypeOf } from './examples.js';

export interface CollectionStoreDeps {
  db: Db;
  images: ImageStore;
  /** This process's search indexes; absent where none are held (the CLI): other processes hear by NOTIFY. */
  indexes?: SearchIndexes;
}

export function createCollectionStore(deps: CollectionStoreDeps) {
  // With indexes, their origin: this process has applied its own changes and skips their notifications.
  const ctx = { ...deps, origin: deps.indexes?.origin ?? randomUUID() };
  return {
    /** Identifies this store's notifications. */
    origin: ctx.origin,
    /** The search indexes the writes update (read-only use: e.g. a test comparing them with the database). */
    indexes: deps.indexes,
    /** The image store the writes use (reads of example images go through it too). */
    images: deps.images,
    ...subjectWrites(ctx),
    ...exampleWrites(ctx),
    ...serviceWrites(ctx),
  };
}

export type CollectionStore = ReturnType<typeof createCollectionStore>;
