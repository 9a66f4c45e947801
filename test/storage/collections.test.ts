// The collection store (server/src/collections) on both databases: every write publishes exactly one index
// notification with the store's origin (none when nothing changed or the write failed), this process's index
// is up to date when the write returns, and images follow SAVE_IMAGES_TO_DB (sync push included).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SubjectNotFound } from '../../shared/errors.js';
import { createCollectionStore, type CollectionStore } from '../../server/src/collections/index.js';
import type { Db } from '../../server/src/db/types.js';
import { insertApplication } from '../../server/src/repositories/applications.js';
import { createImageStore } from '../../server/src/repositories/images.js';
import {
  publishIndexChange,
  subscribeIndexChanges,
  type IndexChange,
} from '../../server/src/repositories/index-changes.js';
import { insertService, updateService } from '../../server/src/repositories/services.js';
import { SearchIndexes } from '../../server/src/search/service-indexes.js';
import { normalize } from '../../server/src/search/vector-index.js';
import { createSyncService } from '../../server/src/services/sync.js';
import { describeStorage } from './backends.js';

const DIM = 4;
// A service's embedder key when none is chosen: its index reads that embedder's vectors.
const EMBEDDER = 'faceplugin-recognition@1';
const unit = (i: number) => normalize(Array.from({ length: DIM }, (_, j) => (j === i % DIM ? 1 : 0.1 * j)));
const JPEG = new Uint8Array(
  readFileSync(new URL('../fixtures/compreface-samples/001_A.jpg', import.meta.url).pathname),
);

async function newService(db: Db, type: 'recognition' | 'detection' = 'recognition', appId?: string) {
  const app = appId ?? (await insertApplication(db, 'app')).id;
  return insertService(db, { applicationId: app, type, name: `svc-${type}` });
}

const exampleImageRows = async (db: Db, id: string) =>
  (
    await db.query<{ n: number }>('select count(*)::int as n from example_images where example_id = $1', [id])
  )[0].n;

describeStorage('collection store: one notification per write', (get) => {
  let indexes: SearchIndexes;
  let store: CollectionStore;
  let unsubscribe: () => Promise<void>;
  const heard: IndexChange[] = [];

  /** The notifications `op` published: a sentinel sent after it marks the end (commit order is delivery order). */
  async function notificationsOf(op: () => Promise<unknown>): Promise<IndexChange[]> {
    heard.length = 0;
    await op();
    const sentinel = crypto.randomUUID();
    await get().db.transaction((tx) =>
      publishIndexChange(tx, { origin: sentinel, service: sentinel, op: 'remove', ids: [sentinel] }),
    );
    await expect.poll(() => heard.some((c) => c.origin === sentinel)).toBe(true);
    return heard.filter((c) => c.origin !== sentinel);
  }

  beforeAll(async () => {
    const { db, config } = get();
    indexes = new SearchIndexes({ db, embedder: EMBEDDER, dim: DIM });
    await indexes.start();
    store = createCollectionStore({
      db,
      images: createImageStore({ dataDir: config.dataDir, inDb: true }),
      indexes,
    });
    unsubscribe = await subscribeIndexChanges(
      db,
      (c) => heard.push(c),
      () => {},
    );
  });

  afterAll(async () => {
    await unsubscribe?.();
    await indexes?.stop();
  });

  it('publishes one notification per example write, and updates the index before returning', async () => {
    const svc = await newService(get().db);
    const [a, b] = [crypto.randomUUID(), crypto.randomUUID()];
    const add = () =>
      store.addExamples(svc.id, [
        { id: a, subject: 'Alice', image: JPEG, embedder: EMBEDDER, vector: unit(0) },
        { id: b, subject: 'Bob', embedder: EMBEDDER, vector: unit(1) },
      ]);
    expect(await notificationsOf(add)).toEqual([
      { origin: store.origin, service: svc.id, op: 'add', ids: [a, b] },
    ]);
    expect(indexes.get(svc.id).vectors.size).toBe(2);
    expect(await exampleImageRows(get().db, a)).toBe(1);

    // Pushing the same examples again changes nothing, so says nothing.
    let statuses: unknown;
    expect(await notificationsOf(async () => (statuses = await add()))).toEqual([]);
    expect(statuses).toEqual(['exists', 'exists']);

    expect(
      await notificationsOf(() =>
        store.replaceEmbeddings(svc.id, EMBEDDER, [{ exampleId: a, vector: unit(2) }]),
      ),
    ).toEqual([{ origin: store.origin, service: svc.id, op: 'add', ids: [a] }]);
    expect((await indexes.example(svc.id, a))?.vector).toEqual(unit(2));

    expect(await notificationsOf(() => store.deleteExamples(svc.id, [b]))).toEqual([
      { origin: store.origin, service: svc.id, op: 'remove', ids: [b] },
    ]);
    expect(indexes.get(svc.id).vectors.has(b)).toBe(false);

    expect(await notificationsOf(() => store.deleteExamplesOf(svc.id, 'alice'))).toEqual([
      { origin: store.origin, service: svc.id, op: 'remove', ids: [a] },
    ]);
    expect(indexes.get(svc.id).vectors.size).toBe(0);
    expect(await exampleImageRows(get().db, a)).toBe(0);
  });

  it('publishes one reload per subject write and none for an empty subject or a failed write', async () => {
    const svc = await newService(get().db);
    expect(await notificationsOf(() => store.createSubject(svc.id, 'Empty'))).toEqual([]);
    await notificationsOf(() =>
      store.addExamples(svc.id, [
        { id: crypto.randomUUID(), subject: 'Carol', embedder: EMBEDDER, vector: unit(0) },
        { id: crypto.randomUUID(), subject: 'Dave', embedder: EMBEDDER, vector: unit(1) },
      ]),
    );
    const reload = [{ origin: store.origin, service: svc.id, op: 'reload' }];
    expect(await notificationsOf(() => store.renameSubject(svc.id, 'Carol', 'Caroline'))).toEqual(reload);
    expect([...indexes.get(svc.id).names.values()].sort()).toEqual(['Caroline', 'Dave']);
    expect(await notificationsOf(() => store.renameSubject(svc.id, 'Dave', 'caroline'))).toEqual(reload);
    expect([...indexes.get(svc.id).names.values()]).toEqual(['Caroline']);
    expect(indexes.get(svc.id).vectors.size).toBe(2);

    expect(
      await notificationsOf(() =>
        expect(store.renameSubject(svc.id, 'Nobody', 'X')).rejects.toThrow(SubjectNotFound),
      ),
    ).toEqual([]);

    expect(await notificationsOf(() => store.deleteSubject(svc.id, 'CAROLINE'))).toEqual(reload);
    expect(indexes.get(svc.id).vectors.size).toBe(0);
    await notificationsOf(() =>
      store.addExamples(svc.id, [
        { id: crypto.randomUUID(), subject: 'Erin', embedder: EMBEDDER, vector: unit(2) },
      ]),
    );
    expect(await notificationsOf(() => store.deleteAllSubjects(svc.id))).toEqual(reload);
    expect(indexes.get(svc.id).vectors.size).toBe(0);
  });

  it('shortens a long id list to one reload', async () => {
    const svc = await newService(get().db);
    const many = Array.from({ length: 200 }, (_, i) => ({
      id: crypto.randomUUID(),
      subject: `s${i % 7}`,
      embedder: EMBEDDER,
      vector: unit(i),
    }));
    expect(await notificationsOf(() => store.addExamples(svc.id, many))).toEqual([
      { origin: store.origin, service: svc.id, op: 'reload' },
    ]);
    expect(indexes.get(svc.id).vectors.size).toBe(200);
  });

  it('clones and deletes whole collections with one notification each', async () => {
    const { db } = get();
    const from = await newService(db);
    await notificationsOf(() =>
      store.addExamples(from.id, [
        { id: crypto.randomUUID(), subject: 'Frank', image: JPEG, embedder: EMBEDDER, vector: unit(0) },
      ]),
    );
    let copyId = '';
    const cloned = await notificationsOf(async () => {
      copyId = (
        await store.cloneService(from.id, {
          applicationId: from.applicationId,
          type: 'recognition',
          name: 'copy',
        })
      ).id;
    });
    expect(cloned).toEqual([{ origin: store.origin, service: copyId, op: 'reload' }]);
    expect(indexes.get(copyId).vectors.size).toBe(1);

    const changed = await notificationsOf(() =>
      store.changeService(copyId, (tx) =>
        updateService(tx, copyId, { name: 'renamed', minSimilarity: null }),
      ),
    );
    expect(changed).toEqual([{ origin: store.origin, service: copyId, op: 'reload' }]);
    expect(indexes.get(copyId).vectors.size).toBe(1);

    expect(await notificationsOf(() => store.deleteService({ id: copyId, type: 'recognition' }))).toEqual([
      { origin: store.origin, op: 'drop', services: [copyId] },
    ]);

    const other = await newService(db, 'recognition', from.applicationId);
    await newService(db, 'detection', from.applicationId);
    const dropped = await notificationsOf(() => store.deleteApplication(from.applicationId));
    expect(dropped).toHaveLength(1);
    expect(dropped[0]).toMatchObject({ origin: store.origin, op: 'drop' });
    expect((dropped[0] as { services: string[] }).services.sort()).toEqual([from.id, other.id].sort());
  });
});

describeStorage(
  'collection store: SAVE_IMAGES_TO_DB=false',
  (get) => {
    it('stores a pushed example image as a file, not in the database', async () => {
      const { db, config } = get();
      expect(config.saveImagesToDb).toBe(false);
      const images = createImageStore({ dataDir: config.dataDir, inDb: config.saveImagesToDb });
      const sync = createSyncService({
        db,
        engine: { embedderId: EMBEDDER, embeddingSize: DIM },
        collections: createCollectionStore({ db, images }),
      });
      const row = await newService(db);
      const svc = {
        id: row.id,
        apiKey: row.apiKey,
        type: 'recognition' as const,
        name: row.name,
        minSimilarity: 0,
      };
      const id = crypto.randomUUID();
      const result = await sync.push(svc, {
        device_id: 'kiosk-1',
        examples: [
          {
            image_id: id,
            subject: 'Grace',
            embedder: EMBEDDER,
            embedding: Array.from(unit(0)),
            image: Buffer.from(JPEG).toString('base64'),
          },
        ],
      });
      expect(result.examples).toEqual([{ image_id: id, status: 'created' }]);
      const file = join(config.dataDir, 'images', svc.id, id);
      expect(existsSync(file)).toBe(true);
      expect(readFileSync(file).equals(JPEG)).toBe(true);
      expect(await exampleImageRows(db, id)).toBe(0);
      const stored = await images.read(db, svc.id, id);
      expect(stored?.contentType).toBe('image/jpeg');
      expect(Buffer.from(stored!.bytes).equals(JPEG)).toBe(true);
    });
  },
  { env: { SAVE_IMAGES_TO_DB: 'false' } },
);
