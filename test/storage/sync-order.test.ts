// Device sync over concurrent writers (real PostgreSQL, two connections): a device that pulls while another
// transaction is still writing must still get that write once it commits. The change log's sequence numbers are
// taken when a row is written, not when it commits, so a later writer's change could be pulled first and the
// cursor move past an earlier writer's change that had not committed yet: that device never got it. Also the
// collection store's other race with a second connection: one example id given to two services at once.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { SubjectNotFound } from '../../shared/errors.js';
import { createCollectionStore, type CollectionStore } from '../../server/src/collections/index.js';
import type { Db, Queryable } from '../../server/src/db/types.js';
import { insertApplication } from '../../server/src/repositories/applications.js';
import { createImageStore } from '../../server/src/repositories/images.js';
import { insertService } from '../../server/src/repositories/services.js';
import { insertSubject, listSubjectNames } from '../../server/src/repositories/subjects.js';
import { createSyncService, type SyncService } from '../../server/src/services/sync.js';
import type { ServiceRef } from '../../server/src/services/types.js';
import { describeStorage } from './backends.js';

const EMBEDDER = 'faceplugin-recognition@1';
const JPEG = new Uint8Array(
  readFileSync(new URL('../fixtures/compreface-samples/001_A.jpg', import.meta.url)),
);

async function newService(db: Db): Promise<ServiceRef> {
  const app = await insertApplication(db, 'app');
  const row = await insertService(db, { applicationId: app.id, type: 'recognition', name: 'door' });
  return { id: row.id, apiKey: row.apiKey, type: 'recognition', name: row.name, minSimilarity: 0 };
}

/** A transaction on `db` that adds subject `name` to `svc` and commits when `commit()` is called. */
function openWrite(db: Db, svc: ServiceRef, name: string) {
  let commit!: () => void;
  const release = new Promise<void>((resolve) => (commit = resolve));
  let written!: () => void;
  const wrote = new Promise<void>((resolve) => (written = resolve));
  const done = db.transaction(async (tx: Queryable) => {
    await insertSubject(tx, svc.id, name);
    written();
    await release;
  });
  return { wrote, commit, done };
}

/** Resolves once `write` has finished or is waiting for a lock another transaction holds. */
async function finishedOrWaiting(db: Db, write: Promise<unknown>): Promise<void> {
  let finished = false;
  void write.then(() => (finished = true));
  for (;;) {
    const [row] = await db.query<{ n: number }>('select count(*)::int as n from pg_locks where not granted');
    if (finished || row.n > 0) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describeStorage(
  'sync pull with concurrent writers',
  (get) => {
    let sync: SyncService;
    let other: Db;
    let stores: CollectionStore[];
    beforeAll(async () => {
      const { db, config } = get();
      other = await get().openAnother();
      const images = createImageStore({ dataDir: config.dataDir, inDb: true });
      stores = [createCollectionStore({ db, images }), createCollectionStore({ db: other, images })];
      sync = createSyncService({
        db,
        engine: { embedderId: EMBEDDER, embeddingSize: 4 },
        collections: stores[0],
      });
    });

    it('a change committed after a later one is still pulled', async () => {
      const { db } = get();
      const svc = await newService(db);
      let cursor = (await sync.pull(svc, undefined)).cursor;
      const pulled: string[] = [];

      const early = openWrite(other, svc, 'Early');
      await early.wrote;
      const late = insertSubject(db, svc.id, 'Late');
      await finishedOrWaiting(other, late);
      // the device pulls while 'Early' is written but not committed
      const mid = await sync.pull(svc, cursor);
      pulled.push(...mid.subjects);
      cursor = mid.cursor;

      early.commit();
      await early.done;
      await late;
      const after = await sync.pull(svc, cursor);
      pulled.push(...after.subjects);
      expect(pulled.sort()).toEqual(['Early', 'Late']);
      expect(await sync.pull(svc, after.cursor)).toMatchObject({ subjects: [], more: false });
    });

    it("a snapshot's cursor does not pass a change still being written", async () => {
      const { db } = get();
      const svc = await newService(db);
      const elsewhere = await newService(db);

      const early = openWrite(other, svc, 'Early');
      await early.wrote;
      // another service's change, committed after 'Early' was written
      await insertSubject(db, elsewhere.id, 'Elsewhere');
      const snap = await sync.pull(svc, undefined);
      expect(snap.subjects).toEqual([]);

      early.commit();
      await early.done;
      expect((await sync.pull(svc, snap.cursor)).subjects).toEqual(['Early']);
    });

    it("a device pulling throughout concurrent writes on two connections ends with the server's subjects", async () => {
      const { db } = get();
      const svc = await newService(db);
      const example = (subject: string) => ({
        id: crypto.randomUUID(),
        subject,
        embedder: EMBEDDER,
        vector: new Float32Array([1, 0, 0, 0]),
      });
      // adds, renames (some merging into another subject), deletes: on both connections at once
      const ops = async (store: CollectionStore, k: number) => {
        for (let i = 0; i < 12; i++) {
          const name = `S${(i + k) % 6}`;
          const step = (i + k) % 4;
          try {
            if (step === 0 || step === 1) await store.addExamples(svc.id, [example(name)]);
            else if (step === 2) await store.renameSubject(svc.id, name, `S${(i + k + 1) % 6}`);
            else await store.deleteSubject(svc.id, name);
          } catch (e) {
            if (!(e instanceof SubjectNotFound)) throw e;
          }
        }
      };
      const device = new Set<string>();
      const apply = (p: Awaited<ReturnType<SyncService['pull']>>) => {
        for (const n of p.removed_subjects) device.delete(n);
        for (const n of p.subjects) device.add(n);
        return p.cursor;
      };
      let cursor = apply(await sync.pull(svc, undefined));
      let writing = true;
      const puller = (async () => {
        while (writing) cursor = apply(await sync.pull(svc, cursor));
      })();
      await Promise.all([ops(stores[0], 0), ops(stores[1], 3), ops(stores[0], 1), ops(stores[1], 5)]);
      writing = false;
      await puller;
      for (let more = true; more;) {
        const p = await sync.pull(svc, cursor);
        cursor = apply(p);
        more = p.more;
      }
      const server = await listSubjectNames(db, svc.id);
      expect(server.length).toBeGreaterThan(0);
      expect([...device].sort()).toEqual([...server].sort());
    });

    it('two services given one example id at once: one takes it, the other is told it is taken', async () => {
      const { db } = get();
      const [a, b] = [await newService(db), await newService(db)];
      const id = crypto.randomUUID();
      const example = { id, subject: 'Ann', embedder: EMBEDDER, vector: new Float32Array([1, 0, 0, 0]) };
      // the first write holds its transaction open after adding the example, while the second adds the same id
      let commit!: () => void;
      const release = new Promise<void>((resolve) => (commit = resolve));
      let added!: () => void;
      const wrote = new Promise<void>((resolve) => (added = resolve));
      const first = other.transaction(async (tx) => {
        await insertSubject(tx, a.id, 'Ann');
        const [subject] = await tx.query<{ id: string }>('select id from subjects where service_id = $1', [
          a.id,
        ]);
        await tx.query(
          `insert into examples (id, service_id, subject_id, content_type, image_path) values ($1, $2, $3, 'none', null)`,
          [id, a.id, subject.id],
        );
        added();
        await release;
      });
      await wrote;
      // the second writes its image as a file (SAVE_IMAGES_TO_DB=false): the file must not stay behind either
      const { config } = get();
      const files = createCollectionStore({
        db,
        images: createImageStore({ dataDir: config.dataDir, inDb: false }),
      });
      const second = files.addExamples(b.id, [{ ...example, image: JPEG }]);
      await finishedOrWaiting(other, second);
      commit();
      await first;
      expect(await second).toEqual(['taken']);
      expect(existsSync(join(config.dataDir, 'images', b.id, id))).toBe(false);
      // the refused example's subject, made for it, is not left behind empty
      expect(await listSubjectNames(db, b.id)).toEqual([]);
      expect(await listSubjectNames(db, a.id)).toEqual(['Ann']);
    });
  },
  { backends: ['postgres'] },
);
