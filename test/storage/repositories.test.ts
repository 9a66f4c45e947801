// Repositories against a real database (PGlite and PostgreSQL): services, subjects, examples, images, embeddings.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { Db } from '../../server/src/db/types.js';
import { insertApplication } from '../../server/src/repositories/applications.js';
import * as embeddings from '../../server/src/repositories/embeddings.js';
import * as examples from '../../server/src/repositories/examples.js';
import { createImageStore } from '../../server/src/repositories/images.js';
import {
  publishIndexChange,
  subscribeIndexChanges,
  type IndexChange,
} from '../../server/src/repositories/index-changes.js';
import {
  findServiceByApiKey,
  insertService,
  listServiceIds,
} from '../../server/src/repositories/services.js';
import * as subjects from '../../server/src/repositories/subjects.js';
import { describeStorage } from './backends.js';

async function newService(db: Db) {
  const app = await insertApplication(db, 'app');
  return insertService(db, { applicationId: app.id, type: 'recognition', name: 'svc' });
}

async function addExample(db: Db, serviceId: string, subject: string, vector = new Float32Array([1, 0, 0])) {
  const s = await subjects.findOrInsertSubject(db, serviceId, subject);
  const id = crypto.randomUUID();
  await examples.insertExample(db, {
    id,
    serviceId,
    subjectId: s.id,
    contentType: 'image/jpeg',
    imagePath: null,
  });
  await embeddings.insertEmbedding(db, id, 'model@1', vector);
  return { id, subjectId: s.id };
}

describeStorage('repositories', (get) => {
  it('creates services with UUID API keys and finds them by key', async () => {
    const { db } = get();
    const svc = await newService(db);
    expect(svc.apiKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(svc.minSimilarity).toBeNull();
    expect(await findServiceByApiKey(db, svc.apiKey)).toEqual(svc);
    expect(await findServiceByApiKey(db, crypto.randomUUID())).toBeUndefined();
    expect(await listServiceIds(db, 'recognition')).toContain(svc.id);
    expect(await listServiceIds(db, 'detection')).not.toContain(svc.id);
  });

  it('keeps subject names unique per service, compared case-insensitively', async () => {
    const { db } = get();
    const a = await newService(db);
    const b = await newService(db);
    const alice = await subjects.insertSubject(db, a.id, 'Alice');
    expect(alice?.name).toBe('Alice');
    expect(await subjects.insertSubject(db, a.id, 'ALICE')).toBeUndefined();
    expect(await subjects.insertSubject(db, b.id, 'alice')).toBeDefined();
    expect(await subjects.findSubject(db, a.id, 'aLiCe')).toEqual(alice);
    expect(await subjects.findOrInsertSubject(db, a.id, 'alice')).toEqual({ ...alice, created: false });
    const bobs = await Promise.all([1, 2, 3].map(() => subjects.findOrInsertSubject(db, a.id, 'Bob')));
    // one caller made Bob, the others found that row
    expect(bobs.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(bobs.map((r) => r.id)).size).toBe(1);
    expect(await subjects.listSubjectNames(db, a.id)).toEqual(['Alice', 'Bob']);
    await expect(subjects.insertSubject(db, a.id, 'x'.repeat(51))).rejects.toThrow();
  });

  it('renames, merges and deletes subjects with their examples', async () => {
    const { db } = get();
    const svc = await newService(db);
    const a1 = await addExample(db, svc.id, 'A');
    await addExample(db, svc.id, 'A');
    const b1 = await addExample(db, svc.id, 'B');
    await subjects.renameSubject(db, a1.subjectId, 'Anna');
    expect(await subjects.listSubjectNames(db, svc.id)).toEqual(['Anna', 'B']);
    expect(await subjects.reassignExamples(db, a1.subjectId, b1.subjectId)).toBe(2);
    await subjects.deleteSubject(db, a1.subjectId);
    const page = await examples.listExamples(db, svc.id, { limit: 10, offset: 0 });
    expect(page.total).toBe(3);
    expect(new Set(page.items.map((i) => i.subject))).toEqual(new Set(['B']));
    await subjects.deleteSubject(db, b1.subjectId);
    expect((await examples.listExamples(db, svc.id, { limit: 10, offset: 0 })).total).toBe(0);
    const emb = await db.query<{ n: number }>(
      'select count(*)::int as n from embeddings where example_id = $1',
      [b1.id],
    );
    expect(emb[0].n).toBe(0);
    await addExample(db, svc.id, 'C');
    await addExample(db, svc.id, 'D');
    expect((await subjects.deleteAllSubjects(db, svc.id)).deleted).toBe(2);
    expect(await subjects.listSubjectNames(db, svc.id)).toEqual([]);
  });

  it('pages examples oldest first, by subject, and deletes only the service own ones', async () => {
    const { db } = get();
    const svc = await newService(db);
    const other = await newService(db);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await addExample(db, svc.id, i % 2 ? 'odd' : 'even')).id);
    const foreign = await addExample(db, other.id, 'even');
    const p0 = await examples.listExamples(db, svc.id, { limit: 2, offset: 0 });
    const p2 = await examples.listExamples(db, svc.id, { limit: 2, offset: 4 });
    expect(p0.total).toBe(5);
    expect(p0.items).toHaveLength(2);
    expect(p2.items).toHaveLength(1);
    const odd = await subjects.findSubject(db, svc.id, 'odd');
    const oddPage = await examples.listExamples(db, svc.id, { subjectId: odd!.id, limit: 10, offset: 0 });
    expect(oddPage.total).toBe(2);
    expect(oddPage.items.every((i) => i.subject === 'odd')).toBe(true);

    expect(await examples.findExample(db, svc.id, foreign.id)).toBeUndefined();
    const gone = await examples.deleteExamples(db, svc.id, [ids[0], foreign.id, crypto.randomUUID()]);
    expect(gone.map((g) => g.id)).toEqual([ids[0]]);
    expect(gone[0].subject).toBe('even');
    expect(await examples.findExample(db, other.id, foreign.id)).toBeDefined();
    expect((await examples.deleteExamplesOf(db, svc.id, odd!.id)).length).toBe(2);
    expect((await examples.deleteExamplesOf(db, svc.id)).length).toBe(2);
    expect(await subjects.listSubjectNames(db, svc.id)).toEqual(['even', 'odd']);
  });

  it('stores embeddings per model and finds the examples a new model has not embedded', async () => {
    const { db } = get();
    const svc = await newService(db);
    const v = new Float32Array([0.6, 0, 0.8]);
    const e = await addExample(db, svc.id, 'A', v);
    const rows = await embeddings.loadServiceEmbeddings(db, svc.id, 'model@1');
    expect(rows).toEqual([{ id: e.id, subjectId: e.subjectId, subject: 'A', vector: v }]);
    expect(await embeddings.loadServiceEmbeddings(db, svc.id, 'model@2')).toEqual([]);
    expect(await embeddings.listExamplesWithoutEmbedding(db, svc.id, 'model@2')).toEqual([e.id]);
    await embeddings.insertEmbedding(db, e.id, 'model@2', new Float32Array([0, 1, 0, 0]));
    expect(await embeddings.listExamplesWithoutEmbedding(db, svc.id, 'model@2')).toEqual([]);
    const byId = await embeddings.loadEmbeddingsByIds(db, svc.id, 'model@2', [e.id, crypto.randomUUID()]);
    expect(byId.map((r) => Array.from(r.vector))).toEqual([[0, 1, 0, 0]]);
  });

  it('stores images in the database or as files, and rolls both back with the transaction', async () => {
    const { db, config } = get();
    const svc = await newService(db);
    const s = await subjects.findOrInsertSubject(db, svc.id, 'A');
    const bytes = new Uint8Array([0xff, 0xd8, 0xff, 1, 2, 3]);
    for (const inDb of [true, false]) {
      const store = createImageStore({ dataDir: config.dataDir, inDb });
      const id = crypto.randomUUID();
      const staged = await store.stage(svc.id, id, bytes);
      expect(staged.imagePath === null).toBe(inDb);
      await db.transaction(async (tx) => {
        await examples.insertExample(tx, {
          id,
          serviceId: svc.id,
          subjectId: s.id,
          contentType: 'image/jpeg',
          imagePath: staged.imagePath,
        });
        await store.saveRow(tx, id, bytes);
      });
      const read = await store.read(db, svc.id, id);
      expect(read?.contentType).toBe('image/jpeg');
      expect(Array.from(read!.bytes)).toEqual(Array.from(bytes));
      expect(await store.read(db, crypto.randomUUID(), id)).toBeUndefined();

      const failed = crypto.randomUUID();
      const staged2 = await store.stage(svc.id, failed, bytes);
      await expect(
        db.transaction(async (tx) => {
          await examples.insertExample(tx, {
            id: failed,
            serviceId: svc.id,
            subjectId: s.id,
            contentType: 'image/jpeg',
            imagePath: staged2.imagePath,
          });
          await store.saveRow(tx, failed, bytes);
          throw new Error('crash');
        }),
      ).rejects.toThrow('crash');
      await staged2.discard();
      expect(await store.read(db, svc.id, failed)).toBeUndefined();
      if (!inDb) expect(existsSync(join(config.dataDir, 'images', svc.id, failed))).toBe(false);

      const rows = await examples.deleteExamples(db, svc.id, [id]);
      await store.removeFiles(rows.map((r) => r.imagePath));
      expect(await store.read(db, svc.id, id)).toBeUndefined();
      if (!inDb) expect(existsSync(join(config.dataDir, 'images', svc.id, id))).toBe(false);
    }
  });

  it('sweeps image files whose example row never committed', async () => {
    const { db, config } = get();
    const svc = await newService(db);
    const store = createImageStore({ dataDir: config.dataDir, inDb: false });
    const orphan = crypto.randomUUID();
    await store.stage(svc.id, orphan, new Uint8Array([1]));
    writeFileSync(join(config.dataDir, 'images', svc.id, `${crypto.randomUUID()}.part`), 'x');
    const s = await subjects.findOrInsertSubject(db, svc.id, 'A');
    const kept = crypto.randomUUID();
    const staged = await store.stage(svc.id, kept, new Uint8Array([2]));
    await examples.insertExample(db, {
      id: kept,
      serviceId: svc.id,
      subjectId: s.id,
      contentType: 'image/png',
      imagePath: staged.imagePath,
    });
    expect(await store.sweepOrphans(db)).toBe(0);
    expect(existsSync(join(config.dataDir, 'images', svc.id, orphan))).toBe(true);
    expect(await store.sweepOrphans(db, 0)).toBeGreaterThanOrEqual(2);
    expect(existsSync(join(config.dataDir, 'images', svc.id, orphan))).toBe(false);
    expect(existsSync(join(config.dataDir, 'images', svc.id, kept))).toBe(true);
  });

  it('delivers index changes on commit only', async () => {
    const { db } = get();
    const got: IndexChange[] = [];
    const unsubscribe = await subscribeIndexChanges(
      db,
      (c) => got.push(c),
      () => {},
    );
    const change = (ids: string[]): IndexChange => ({ origin: 'test', service: 's', op: 'add', ids });
    await expect(
      db.transaction(async (tx) => {
        await publishIndexChange(tx, change(['rolled-back']));
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    await db.transaction((tx) => publishIndexChange(tx, change(['committed'])));
    await expect.poll(() => got.length).toBe(1);
    expect(got[0]).toEqual(change(['committed']));
    await unsubscribe();
  });
});
