// Embedder per service (issue 17.1) with the real engine on real photos, against PGlite and PostgreSQL: a service
// created with face-api's 128-d embedder enrols, recognises, verifies and syncs 128-d vectors (another model's are
// refused with a message that names the model); changing its embedder re-embeds the collection in the background
// with progress while recognition keeps answering, then switches; a request begun before the switch is answered
// with the new embedder.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FaceEngine } from '../../shared/engine/types.js';
import { Conflict, ValidationError, WrongEmbedding } from '../../shared/errors.js';
import { StaleEmbedder } from '../../server/src/search/service-indexes.js';
import { createFaceServices, type FaceServicesRuntime } from '../../server/src/services/face-services.js';
import { createSearchIndexes } from '../../server/src/services/search-backend.js';
import { createSyncService } from '../../server/src/services/sync.js';
import type { ServiceRef } from '../../server/src/services/types.js';
import { describeStorage } from './backends.js';
import { testDecode, testEngine } from './test-engine.js';

const photo = (name: string) => ({
  bytes: new Uint8Array(
    readFileSync(join(import.meta.dirname, '../fixtures/compreface-samples', `${name}.jpg`)),
  ),
});
const FACEAPI = 'faceapi-recognition@1';
const DEFAULT = 'faceplugin-recognition@1';
const q = { predictionCount: 1 };

// The worker's shared engine (test-engine.ts): what is tested is the services' switch, not the models; a job
// re-embeds from remembered analyses, faster than the real engine would, which a switch must survive anyway.
let engine: FaceEngine;
beforeAll(async () => {
  engine = await testEngine();
});

describeStorage('embedder per service', (get) => {
  let services: FaceServicesRuntime;
  let svc: ServiceRef;
  const sync = () => createSyncService({ db: get().db, engine, collections: services.collections });
  /** The service as a request sees it now (its embedder may have switched). */
  const current = () => services.resolveKey(svc.apiKey, 'recognition');
  const recognizeA = async () => {
    const r = await services.recognize(await current(), photo('003_A'), q);
    return r.result[0].subjects[0];
  };

  beforeAll(async () => {
    const { config, db } = get();
    services = await createFaceServices({ config, db, engine, decode: testDecode });
  });
  afterAll(() => services?.close());

  it('lists the embedders with their sizes; the default is the engine’s', () => {
    const list = services.embedders();
    expect(list.map((e) => [e.key, e.dim, e.default])).toEqual([
      [DEFAULT, 512, true],
      [FACEAPI, 128, false],
    ]);
  });

  it('creates a service with face-api’s embedder, which enrols and recognises with 128-d vectors', async () => {
    await expect(
      services.createService({ type: 'recognition', name: 'Bad', embedder: 'no-such-model' }),
    ).rejects.toThrow(
      /no-such-model is not available; choose one of faceplugin-recognition, faceapi-recognition/,
    );
    expect((await services.createService({ type: 'recognition', name: 'Plain' })).embedder).toBe(DEFAULT);
    svc = await services.createService({
      type: 'recognition',
      name: 'Small',
      embedder: 'faceapi-recognition',
    });
    expect(svc.embedder).toBe(FACEAPI);
    await services.addExample(svc, 'Anna', photo('002_A'), {});
    await services.addExample(svc, 'Anna', photo('005_A'), {});
    await services.addExample(svc, 'Ben', photo('007_B'), {});
    const best = await recognizeA();
    expect(best.subject).toBe('Anna');
    expect(best.similarity).toBeGreaterThan(0.5);
    const ben = await services.recognize(svc, photo('008_B'), q);
    expect(ben.result[0].subjects[0].subject).toBe('Ben');
  });

  it('syncs 128-d vectors, says which model, and refuses embeddings of another model or size', async () => {
    const s = sync();
    const snap = await s.pull(svc, undefined);
    expect(snap.embedder).toBe(FACEAPI);
    expect(snap.examples).toHaveLength(3);
    for (const e of snap.examples) expect(e.embedding).toHaveLength(128);
    expect(await s.config(svc)).toEqual({
      embedder: FACEAPI,
      model: 'faceapi-recognition',
      dim: 128,
      threshold: null,
    });
    const pushed = await s.push(svc, {
      device_id: 'kiosk-1',
      examples: [
        {
          image_id: crypto.randomUUID(),
          subject: 'Cy',
          embedding: new Array(512).fill(0.04),
          embedder: DEFAULT,
        },
      ],
    });
    expect(pushed.examples[0]).toMatchObject({
      status: 'rejected',
      message: `embedded by ${DEFAULT}; this server compares ${FACEAPI}`,
    });
    // /embeddings/* say which model the vectors must come from
    await expect(services.recognizeEmbeddings(svc, [new Array(512).fill(0.04)], q)).rejects.toThrow(
      new WrongEmbedding(
        `128 embedding values were expected, but 512 were provided (this service compares ${FACEAPI} embeddings)`,
      ),
    );
    const vector = snap.examples[0].embedding;
    const r = await services.recognizeEmbeddings(svc, [vector], q);
    expect(r.result[0].similarities[0].similarity).toBeGreaterThan(0.99);
  });

  it('keeps answering with its embeddings while another embedder’s are being written', async () => {
    // as a job does midway: a 512-d embedding of one example, stored (and notified) before the switch
    const [first] = (await sync().pull(svc, undefined)).examples;
    const other = new Float32Array(512).fill(1 / Math.sqrt(512));
    const stored = await services.collections.replaceEmbeddings(svc.id, DEFAULT, [
      { exampleId: first.image_id, vector: other },
    ]);
    expect(stored).toEqual([first.image_id]);
    expect((await current()).embedder).toBe(FACEAPI);
    const best = await recognizeA();
    expect(best.subject).toBe('Anna');
    expect(best.similarity).toBeGreaterThan(0.5);
    const pulled = await sync().pull(svc, undefined);
    expect(pulled.examples.map((e) => e.embedding.length)).toEqual([128, 128, 128]);
  });

  it('changes the embedder: re-embeds with progress, keeps recognising, then switches', async () => {
    await expect(services.changeEmbedder(svc.id, 'nope')).rejects.toThrow(ValidationError);
    const job = await services.changeEmbedder(svc.id, 'faceplugin-recognition');
    expect(job).toMatchObject({ embedder: DEFAULT, state: 'running' });
    await expect(services.changeEmbedder(svc.id, 'faceplugin-recognition')).rejects.toThrow(Conflict);
    // whatever the job has reached, the service answers (with its old or, once switched, its new embedder)
    expect((await recognizeA()).subject).toBe('Anna');
    await services.embedderJobsIdle();
    const done = await services.embedderJob(svc.id);
    // the example already embedded by the new model (previous test) is not embedded again
    expect(done).toMatchObject({
      embedder: DEFAULT,
      state: 'done',
      total: 2,
      done: 2,
      failed: 0,
      error: null,
    });
    const now = await current();
    expect(now.embedder).toBe(DEFAULT);
    const best = await recognizeA();
    expect(best.subject).toBe('Anna');
    expect(best.similarity).toBeGreaterThan(0.5);
    const snap = await sync().pull(now, undefined);
    expect(snap.embedder).toBe(DEFAULT);
    expect(snap.examples.map((e) => e.embedding.length)).toEqual([512, 512, 512]);
    // an example enrolled after the switch uses the new embedder at once
    await services.addExample(now, 'Ben', photo('008_B'), {});
    expect((await services.recognize(now, photo('007_B'), q)).result[0].subjects[0].subject).toBe('Ben');
  });

  it('switches back without re-embedding what it already has', async () => {
    await services.changeEmbedder(svc.id, 'faceapi-recognition');
    await services.embedderJobsIdle();
    // the three first examples kept their 128-d embeddings; only the one enrolled under 512-d is embedded
    expect(await services.embedderJob(svc.id)).toMatchObject({
      embedder: FACEAPI,
      state: 'done',
      total: 1,
      done: 1,
    });
    expect((await current()).embedder).toBe(FACEAPI);
    expect((await recognizeA()).subject).toBe('Anna');
  });

  it('resumes a job whose node died on one node only, and leaves a live node’s job alone', async () => {
    const { config, db } = get();
    // the switch to the default embedder, left running by a node that is alive (its lease is fresh)
    await db.query(
      `update embedder_jobs set state = 'running', embedder = 'faceplugin-recognition', embedder_version = 1,
         done = 0, failed = 0, finished_at = null, owner = 'another-node', heartbeat_at = now()
       where service_id = $1`,
      [svc.id],
    );
    const other = await createFaceServices({ config, db, engine, decode: testDecode });
    try {
      expect(await services.resumeEmbedderJobs()).toBe(0);
      expect(await other.resumeEmbedderJobs()).toBe(0);
      // that node dies: its lease lapses, and of two nodes looking at once, one takes the job
      await db.query(
        `update embedder_jobs set heartbeat_at = now() - interval '10 minutes' where service_id = $1`,
        [svc.id],
      );
      const taken = await Promise.all([services.resumeEmbedderJobs(), other.resumeEmbedderJobs()]);
      expect(taken.sort()).toEqual([0, 1]);
      await Promise.all([services.embedderJobsIdle(), other.embedderJobsIdle()]);
      expect(await services.embedderJob(svc.id)).toMatchObject({ embedder: DEFAULT, state: 'done' });
      expect((await current()).embedder).toBe(DEFAULT);
    } finally {
      await other.close();
    }
  });

  it('answers a request begun before a switch with the new embedder, and does not reload the index for it', async () => {
    const { config, db } = get();
    // the service as a request in flight resolved it, before the switch
    const stale = await current();
    expect(stale.embedder).toBe(DEFAULT);
    const anna = (await sync().pull(stale, undefined)).examples.find((e) => e.subject === 'Anna');
    await services.changeEmbedder(svc.id, 'faceapi-recognition');
    await services.embedderJobsIdle();
    const now = await current();
    expect(now.embedder).toBe(FACEAPI);
    const fresh = (await services.recognize(now, photo('003_A'), q)).result[0].subjects[0];
    expect(fresh.subject).toBe('Anna');
    expect(fresh.similarity).toBeGreaterThan(0.5);
    // the stale request is answered as one made after the switch: found, with the new embedder's similarity
    const late = await services.recognize(stale, photo('003_A'), q);
    expect(late.result[0].subjects[0]).toEqual(fresh);
    // verifying against a saved example likewise
    const verify = async (ref: ServiceRef) =>
      (await services.verifyExample(ref, anna!.image_id, photo('003_A'), {})).result.map((f) => [
        f.subject,
        f.similarity,
      ]);
    const verified = await verify(now);
    expect(verified[0][0]).toBe('Anna');
    expect(await verify(stale)).toEqual(verified);
    // a search with the old key names the service's embedder now, and leaves the loaded index as it is
    const indexes = await createSearchIndexes(config, db, engine);
    await indexes.start();
    try {
      const loaded = indexes.get(svc.id);
      expect(loaded.embedder).toBe(FACEAPI);
      const query = new Float32Array(512).fill(1 / Math.sqrt(512));
      for (let i = 0; i < 2; i++)
        await expect(indexes.searchSubjects(svc.id, query, 1, DEFAULT)).rejects.toThrow(
          new StaleEmbedder(svc.id, FACEAPI),
        );
      expect(indexes.get(svc.id)).toBe(loaded);
    } finally {
      await indexes.stop();
    }
  });
});
