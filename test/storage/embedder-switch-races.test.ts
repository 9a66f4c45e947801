// An embedder switch (issue 17.1) racing the collection's writes, with the real engine on real photos, against
// PGlite and PostgreSQL: nothing enrolled, moved or pushed while a job re-embeds the collection may end unfindable
// by the new embedder, and the job counts what it did (embedder_jobs: total = done + failed, examples deleted
// meanwhile in neither). Interleavings are held deterministically on PostgreSQL with a second connection that holds
// the service's change-log lock (sync_log_lock, which every collection write takes first, migration 008), waiting
// on pg_locks until the writes queue behind it in a known order; PGlite (one connection) gets the orderings a
// request can produce without one: a request that resolved the service before the switch, answered after it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FaceEngine } from '../../shared/engine/types.js';
import { Conflict } from '../../shared/errors.js';
import { listExamplesWithoutEmbedding } from '../../server/src/repositories/embeddings.js';
import { StaleEmbedder } from '../../server/src/search/service-indexes.js';
import { createFaceServices, type FaceServicesRuntime } from '../../server/src/services/face-services.js';
import { createSyncService } from '../../server/src/services/sync.js';
import type { ServiceRef } from '../../server/src/services/types.js';
import { describeStorage } from './backends.js';
import { holdServiceLog } from './service-lock.js';
import { testDecode, testEngine } from './test-engine.js';

const bytesOf = (name: string) =>
  new Uint8Array(readFileSync(join(import.meta.dirname, '../fixtures/compreface-samples', `${name}.jpg`)));
const photo = (name: string) => ({ bytes: bytesOf(name) });
const OLD = 'faceapi-recognition@1';
const NEW = 'faceplugin-recognition@1';
const q = { predictionCount: 1 };

let engine: FaceEngine;
beforeAll(async () => {
  engine = await testEngine();
});

describeStorage('embedder switch racing writes', (get) => {
  let services: FaceServicesRuntime;
  const sync = () => createSyncService({ db: get().db, engine, collections: services.collections });
  const current = (svc: ServiceRef) => services.resolveKey(svc.apiKey, 'recognition');

  /** A service on the old embedder with Anna (two photos) and Ben; the photo each example was enrolled from. */
  async function enrolled(name: string) {
    const svc = await services.createService({ type: 'recognition', name, embedder: 'faceapi-recognition' });
    const photos = new Map<string, string>();
    for (const [subject, file] of [
      ['Anna', '002_A'],
      ['Anna', '005_A'],
      ['Ben', '007_B'],
    ]) {
      const { image_id } = await services.addExample(svc, subject, photo(file), {});
      photos.set(image_id, file);
    }
    return { svc, photos };
  }

  /**
   * The service switched to `embedder` (the new one unless said), every example has its embedding, the index and a
   * device's snapshot hold exactly the collection, and each example's own photo is recognised as its subject.
   */
  async function switchedWhole(svc: ServiceRef, photos: Map<string, string>, embedder = NEW) {
    const now = await current(svc);
    expect(now.embedder).toBe(embedder);
    expect(await listExamplesWithoutEmbedding(get().db, svc.id, embedder)).toEqual([]);
    const { items } = await services.listExamples(now, { page: 0, size: 100 });
    const snap = await sync().pull(now, undefined);
    const pairs = (l: { image_id: string; subject: string }[]) =>
      l.map((e) => `${e.image_id} ${e.subject}`).sort();
    expect(pairs(snap.examples)).toEqual(pairs(items));
    for (const e of snap.examples) expect(e.embedding).toHaveLength(embedder === NEW ? 512 : 128);
    for (const e of items) {
      const best = (await services.recognize(now, photo(photos.get(e.image_id)!), q)).result[0].subjects[0];
      expect(best.subject).toBe(e.subject);
      expect(best.similarity).toBeGreaterThan(0.9);
    }
    return items;
  }

  beforeAll(async () => {
    const { config, db } = get();
    services = await createFaceServices({ config, db, engine, decode: testDecode });
  });
  afterAll(() => services?.close());

  it('embeds again with the new model an enrolment that resolved the service before the switch, instead of hiding it', async () => {
    const { svc, photos } = await enrolled('Late add');
    // the service as a request in flight resolved it, before the switch; it reaches the store once the job has finished
    const stale = await current(svc);
    await services.changeEmbedder(svc.id, 'faceplugin-recognition');
    await services.embedderJobsIdle();
    // the store refuses the old model's vector: it would be invisible to the new index
    const oldVector = {
      id: crypto.randomUUID(),
      subject: 'Cy',
      embedder: OLD,
      vector: new Float32Array(128).fill(0.1),
    };
    await expect(services.collections.addExamples(svc.id, [oldVector])).rejects.toThrow(
      new StaleEmbedder(svc.id, NEW),
    );
    // the request in flight is answered as one begun after the switch: embedded with the new model
    const { image_id } = await services.addExample(stale, 'Cy', photo('009_C'), {});
    photos.set(image_id, '009_C');
    // stored with the new model's vector: found by the new index (switchedWhole recognises every example)
    expect((await switchedWhole(svc, photos)).map((e) => e.subject).sort()).toEqual([
      'Anna',
      'Anna',
      'Ben',
      'Cy',
    ]);
  });

  it('answers a push of the old model’s embedding that arrives after the switch as another model’s', async () => {
    const { svc, photos } = await enrolled('Late push');
    const stale = await current(svc);
    const [old] = (await sync().pull(stale, undefined)).examples;
    await services.changeEmbedder(svc.id, 'faceplugin-recognition');
    await services.embedderJobsIdle();
    const image_id = crypto.randomUUID();
    const pushed = await sync().push(stale, {
      device_id: 'kiosk-1',
      examples: [
        {
          image_id,
          subject: 'Dee',
          embedding: old.embedding,
          embedder: OLD,
          image: Buffer.from(bytesOf('003_A')).toString('base64'),
        },
      ],
    });
    expect(pushed.examples).toEqual([
      { image_id, status: 'rejected', message: `embedded by ${OLD}; this server compares ${NEW}` },
    ]);
    expect(await switchedWhole(svc, photos)).toHaveLength(3);
  });

  it('counts an example it cannot re-embed (pushed without its image) once, and switches', async () => {
    const { svc } = await enrolled('Imageless');
    const [old] = (await sync().pull(svc, undefined)).examples;
    const pushed = await sync().push(svc, {
      device_id: 'kiosk-1',
      examples: [{ image_id: crypto.randomUUID(), subject: 'Eve', embedding: old.embedding, embedder: OLD }],
    });
    expect(pushed.examples[0].status).toBe('created');
    await services.changeEmbedder(svc.id, 'faceplugin-recognition');
    await services.embedderJobsIdle();
    expect(await services.embedderJob(svc.id)).toMatchObject({
      embedder: NEW,
      state: 'done',
      total: 4,
      done: 3,
      failed: 1,
    });
    expect((await current(svc)).embedder).toBe(NEW);
  });

  /** PostgreSQL: a second connection holding the service's change-log lock, and the writes queued behind it. */
  const holdingLog = async (svc: ServiceRef) => holdServiceLog(await get().openAnother(), svc.id);

  it('leaves out an example deleted after the job listed the collection: not resurrected, not failed', async (t) => {
    if (get().backend !== 'postgres') t.skip();
    const { svc, photos } = await enrolled('Delete while re-embedding');
    const ben = [...photos].find(([, file]) => file === '007_B')![0];
    const log = await holdingLog(svc);
    const deleted = services.deleteExample(svc, ben);
    await log.queued(1);
    // the job lists Ben's example (its deletion is not committed), then waits to store its first embedding
    await services.changeEmbedder(svc.id, 'faceplugin-recognition');
    await log.queued(2);
    await log.release();
    await deleted;
    await services.embedderJobsIdle();
    expect(await services.embedderJob(svc.id)).toMatchObject({
      state: 'done',
      total: 2,
      done: 2,
      failed: 0,
      error: null,
    });
    photos.delete(ben);
    expect((await switchedWhole(svc, photos)).map((e) => e.subject)).toEqual(['Anna', 'Anna']);
    const [best] = (await services.recognize(await current(svc), photo('007_B'), q)).result[0].subjects;
    expect(best.subject).toBe('Anna');
    expect(best.similarity).toBeLessThan(0.5);
  });

  it('switches a collection whose every listed example was deleted meanwhile', async (t) => {
    if (get().backend !== 'postgres') t.skip();
    const { svc } = await enrolled('Emptied while re-embedding');
    const log = await holdingLog(svc);
    const emptied = services.deleteExamplesBySubject(svc, '');
    await log.queued(1);
    await services.changeEmbedder(svc.id, 'faceplugin-recognition');
    await log.queued(2);
    await log.release();
    expect(await emptied).toEqual({ deleted: 3 });
    await services.embedderJobsIdle();
    expect(await services.embedderJob(svc.id)).toMatchObject({ state: 'done', total: 0, done: 0, failed: 0 });
    expect(await switchedWhole(svc, new Map())).toEqual([]);
    expect((await services.recognize(await current(svc), photo('007_B'), q)).result[0].subjects).toEqual([]);
  });

  it('re-embeds examples moved and enrolled while it runs; a second switch meanwhile is refused', async (t) => {
    if (get().backend !== 'postgres') t.skip();
    const { svc, photos } = await enrolled('Merge and add while re-embedding');
    const log = await holdingLog(svc);
    const merged = services.renameSubject(svc, 'Ben', 'Anna');
    await log.queued(1);
    await services.changeEmbedder(svc.id, 'faceplugin-recognition');
    await log.queued(2);
    // enrolled with the old model while the job runs (the service has not switched)
    const added = services.addExample(await current(svc), 'Cy', photo('009_C'), {});
    await log.queued(3);
    await expect(services.changeEmbedder(svc.id, 'faceapi-recognition')).rejects.toThrow(Conflict);
    await log.release();
    await merged;
    photos.set((await added).image_id, '009_C');
    await services.embedderJobsIdle();
    expect(await services.embedderJob(svc.id)).toMatchObject({
      embedder: NEW,
      state: 'done',
      total: 4,
      done: 4,
      failed: 0,
    });
    const items = await switchedWhole(svc, photos);
    expect(items.map((e) => e.subject).sort()).toEqual(['Anna', 'Anna', 'Anna', 'Cy']);
    // and back: only what was enrolled under the new embedder is embedded again
    await services.changeEmbedder(svc.id, 'faceapi-recognition');
    await services.embedderJobsIdle();
    expect(await services.embedderJob(svc.id)).toMatchObject({ embedder: OLD, state: 'done', total: 0 });
    expect((await current(svc)).embedder).toBe(OLD);
  });

  it('catches up an enrolment committed after its last listing and before the switch; embeds one after it again with the new model', async (t) => {
    if (get().backend !== 'postgres') t.skip();
    const { svc, photos } = await enrolled('Add around the switch');
    await services.changeEmbedder(svc.id, 'faceplugin-recognition');
    await services.embedderJobsIdle();
    // switching back, the job has nothing to embed: it lists the collection and waits to switch
    let log = await holdingLog(svc);
    const before = services.addExample(await current(svc), 'Cy', photo('009_C'), {});
    await log.queued(1);
    await services.changeEmbedder(svc.id, 'faceapi-recognition');
    await log.queued(2);
    await log.release();
    photos.set((await before).image_id, '009_C');
    await services.embedderJobsIdle();
    expect(await services.embedderJob(svc.id)).toMatchObject({
      embedder: OLD,
      state: 'done',
      total: 1,
      done: 1,
      failed: 0,
    });
    expect(await switchedWhole(svc, photos, OLD)).toHaveLength(4);
    // and forth again: an enrolment embedded by the old model that reaches the store after the switch
    log = await holdingLog(svc);
    await services.changeEmbedder(svc.id, 'faceplugin-recognition');
    await log.queued(1);
    const after = services.addExample(await current(svc), 'Dee', photo('003_A'), {});
    await log.queued(2);
    await log.release();
    // refused by the store as the old model's, then embedded again with the new one (withCurrentEmbedder)
    const dee = await after;
    photos.set(dee.image_id, '003_A');
    await services.embedderJobsIdle();
    expect(await services.embedderJob(svc.id)).toMatchObject({ embedder: NEW, state: 'done', total: 0 });
    expect(await switchedWhole(svc, photos)).toHaveLength(5);
  });
});
