// Search indexes of several server processes on one database stay in step through LISTEN/NOTIFY
// (on PostgreSQL each instance has its own connection pool; PGlite is one process, one connection).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createCollectionStore, type CollectionStore } from '../../server/src/collections/index.js';
import { insertApplication } from '../../server/src/repositories/applications.js';
import { createImageStore } from '../../server/src/repositories/images.js';
import { insertService } from '../../server/src/repositories/services.js';
import { SearchIndexes, type ServiceIndex } from '../../server/src/search/service-indexes.js';
import { normalize } from '../../server/src/search/vector-index.js';
import { subjectServices } from '../../server/src/services/subjects.js';
import type { ServiceRef } from '../../server/src/services/types.js';
import { describeStorage } from './backends.js';

const DIM = 8;
/** The indexes' default embedder key, which the test's service records (model@1). */
const EMBEDDER = 'model@1';
const unit = (i: number) => normalize(Array.from({ length: DIM }, (_, j) => (j === i % DIM ? 1 : 0.1 * j)));

describeStorage('index sync', (get) => {
  let a: SearchIndexes;
  let b: SearchIndexes;
  /** Instance A's collection store: writes, notifies, then updates A's own index; B's likewise. */
  let storeA: CollectionStore;
  let storeB: CollectionStore;
  let svc: ServiceRef;

  /** Adds an example (no image) through instance A. */
  async function addThroughA(subject: string, vector: Float32Array) {
    const id = crypto.randomUUID();
    await storeA.addExamples(svc.id, [{ id, subject, embedder: EMBEDDER, vector }]);
    return id;
  }

  beforeAll(async () => {
    const t = get();
    const dbA = t.db;
    const dbB = t.backend === 'postgres' ? await t.openAnother() : t.db;
    const app = await insertApplication(dbA, 'app');
    // the service's embedder is the indexes' default one (issue 17.1: each index holds its service's embedder)
    const embedder = { model: 'model', version: 1 };
    const row = await insertService(dbA, {
      applicationId: app.id,
      type: 'recognition',
      name: 'svc',
      embedder,
    });
    svc = { id: row.id, apiKey: row.apiKey, type: 'recognition', name: 'svc', minSimilarity: 0 };
    a = new SearchIndexes({ db: dbA, embedder: EMBEDDER, dim: DIM });
    await a.start();
    storeA = createCollectionStore({
      db: dbA,
      images: createImageStore({ dataDir: t.config.dataDir, inDb: true }),
      indexes: a,
    });
    await addThroughA('before-start', unit(0));
    b = new SearchIndexes({ db: dbB, embedder: EMBEDDER, dim: DIM });
    await b.start();
    storeB = createCollectionStore({
      db: dbB,
      images: createImageStore({ dataDir: t.config.dataDir, inDb: true }),
      indexes: b,
    });
  });

  afterAll(async () => {
    await a?.stop();
    await b?.stop();
  });

  it('loads what was stored before it started', () => {
    expect(b.get(svc.id).vectors.size).toBe(1);
    expect([...b.get(svc.id).names.values()]).toEqual(['before-start']);
  });

  it('sees additions and removals made by another instance', async () => {
    const ids = [await addThroughA('alice', unit(1)), await addThroughA('bob', unit(2))];
    await expect.poll(() => b.get(svc.id).vectors.size).toBe(3);
    expect(
      b
        .get(svc.id)
        .vectors.searchSubjects(unit(2), 1)
        .map((h) => b.get(svc.id).names.get(h.subjectId)),
    ).toEqual(['bob']);

    await storeA.deleteExamples(svc.id, [ids[0]]);
    await expect.poll(() => b.get(svc.id).vectors.has(ids[0])).toBe(false);
    expect(a.get(svc.id).vectors.size).toBe(2);
    expect(b.get(svc.id).vectors.size).toBe(2);
  });

  it('sees subject renames, merges and deletions', async () => {
    const subjects = subjectServices({ db: get().db, collections: storeA });
    await subjects.renameSubject(svc, 'bob', 'Robert');
    await expect.poll(() => [...b.get(svc.id).names.values()].sort()).toEqual(['Robert', 'before-start']);
    await subjects.renameSubject(svc, 'before-start', 'robert');
    await expect.poll(() => [...b.get(svc.id).names.values()]).toEqual(['Robert']);
    expect(b.get(svc.id).vectors.searchSubjects(unit(0), 5)).toHaveLength(1);
    await subjects.deleteSubject(svc, 'ROBERT');
    await expect.poll(() => b.get(svc.id).vectors.size).toBe(0);
    expect(a.get(svc.id).vectors.size).toBe(0);
  });

  it('re-reads the service rather than apply a local update queued after a change heard since its write began', async () => {
    const id = await addThroughA('carol', unit(3));
    const carol = a.get(svc.id).vectors.subjectOf(id)!;
    // A's write begins; B renames carol meanwhile and A hears it before A's own update is queued
    const since = a.since();
    await storeB.renameSubject(svc.id, 'carol', 'Caroline');
    await a.settled();
    const stale = (index: ServiceIndex) => index.names.set(carol, 'Carla');
    await a.apply(svc.id, stale, since);
    expect(a.get(svc.id).names.get(carol)).toBe('Caroline');
    expect(a.contents(svc.id).examples).toContainEqual({ id, subjectId: carol, subject: 'Caroline' });
    // with nothing queued since, the local update is applied as it is (no re-read)
    await a.apply(svc.id, stale, a.since());
    expect(a.get(svc.id).names.get(carol)).toBe('Carla');
    await a.reload(svc.id);
    await b.settled();
    expect(b.contents(svc.id).examples).toContainEqual({ id, subjectId: carol, subject: 'Caroline' });
  });
});
