// Each node's search index holds exactly the collection after concurrent writes, with the real engine on real
// photos: on PostgreSQL two nodes (two face-service runtimes, each with its own connection pool and index, kept in
// step by LISTEN/NOTIFY) fire a fixed schedule of adds, renames and merges, subject and example deletions, a
// delete-all and an embedder switch at once; on PGlite one node fires it (its own updates racing each other).
// Once every write has resolved and each node has heard every notification (SearchIndexes.settled), each index
// holds the database's (example, subject, embedder) rows, and each node recognises every example's own photo as
// its subject and never answers a name the collection no longer has. Images are files (SAVE_IMAGES_TO_DB=false):
// a deletion removes them after its commit, before its local index update, and writes commit in that gap.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FaceEngine } from '../../shared/engine/types.js';
import type { Db } from '../../server/src/db/types.js';
import { VisorError } from '../../shared/errors.js';
import { serviceEmbedder } from '../../server/src/repositories/embedder-jobs.js';
import {
  listExamplesWithoutEmbedding,
  loadServiceEmbeddings,
} from '../../server/src/repositories/embeddings.js';
import { createFaceServices, type FaceServicesRuntime } from '../../server/src/services/face-services.js';
import type { ServiceRef } from '../../server/src/services/types.js';
import { describeStorage } from './backends.js';
import { holdServiceLog } from './service-lock.js';
import { testDecode, testEngine } from './test-engine.js';

const bytesOf = (name: string) =>
  new Uint8Array(readFileSync(join(import.meta.dirname, '../fixtures/compreface-samples', `${name}.jpg`)));
const RUNS = [1, 2, 3];
const CROWD = 100;
const OLD = 'faceapi-recognition@1';
const NEW = 'faceplugin-recognition@1';

let engine: FaceEngine;
beforeAll(async () => {
  engine = await testEngine();
});

describeStorage(
  'search indexes after concurrent writes',
  (get) => {
    /** Node A and node B (on PGlite the same one: one process owns the database). */
    let nodes: FaceServicesRuntime[];
    /** PostgreSQL: a connection of neither node, which holds a service's lock while writes queue behind it. */
    let gateDb: Db | undefined;

    beforeAll(async () => {
      const t = get();
      const dbs = t.backend === 'postgres' ? [t.db, await t.openAnother()] : [t.db];
      if (t.backend === 'postgres') gateDb = await t.openAnother();
      nodes = await Promise.all(
        dbs.map((db) => createFaceServices({ config: t.config, db, engine, decode: testDecode })),
      );
    });
    afterAll(async () => {
      for (const n of nodes ?? []) await n.close();
    });

    /** PostgreSQL: a third connection holding the service's change-log lock, and the writes queued behind it. */
    const holdingLog = (serviceId: string) => holdServiceLog(gateDb!, serviceId);

    /** Runs the schedule on a new service; returns it and the photo each example was enrolled from. */
    async function schedule(run: number) {
      const [A, B = A] = nodes;
      const svc: ServiceRef = await A.createService({
        type: 'recognition',
        name: `run ${run}`,
        embedder: 'faceapi-recognition',
      });
      const photoOf = new Map<string, string>();
      const add = async (node: FaceServicesRuntime, subject: string, file: string) => {
        const { image_id } = await node.addExample(svc, subject, { bytes: bytesOf(file) }, {});
        photoOf.set(image_id, file);
        return image_id;
      };
      const seeded: Record<string, string> = {};
      for (const [subject, file] of [
        ['Ann', '001_A'],
        ['Ben', '002_A'],
        ['Cat', '003_A'],
        ['Dan', '007_B'],
        ['Eve', '008_B'],
        ['Fay', '004_A'],
      ])
        seeded[subject] = await add(A, subject, file);
      // Dan's vector, for a crowd of his photo (the image's file each), which the delete-all removes file by file
      // while the writes queued behind it commit, and for examples pushed without an image (as a device's sync may)
      const dan = (await A.collections.indexes!.example(svc.id, seeded.Dan, OLD))!.vector;
      const crowd = Array.from({ length: CROWD }, () => ({
        id: crypto.randomUUID(),
        subject: 'Crowd',
        image: bytesOf('007_B'),
        embedder: OLD,
        vector: dan,
      }));
      await A.collections.addExamples(svc.id, crowd);
      for (const c of crowd) photoOf.set(c.id, '007_B');
      const pushed: Record<string, string> = {};
      const push = async (node: FaceServicesRuntime, subject: string) => {
        const id = crypto.randomUUID();
        await node.collections.addExamples(svc.id, [{ id, subject, embedder: OLD, vector: dan }]);
        photoOf.set(id, '007_B');
        pushed[subject] = id;
      };
      /** Every write of a wave at once; a write may find its subject or example gone (a domain error, not a fault). */
      const wave = async (writes: (() => Promise<unknown>)[]) => {
        const done = await Promise.allSettled(writes.map((w) => w()));
        const faults = done.flatMap((d) =>
          d.status === 'rejected' && !(d.reason instanceof VisorError && d.reason.status < 500)
            ? [String(d.reason)]
            : [],
        );
        expect(faults).toEqual([]);
        return done;
      };
      const wave1 = await wave([
        () => add(A, 'Ann', '005_A'),
        () => add(B, 'Gus', '006_A'),
        () => A.renameSubject(svc, 'Ben', 'Bo'),
        () => B.renameSubject(svc, 'Cat', 'Ann'), // a merge
        () => A.deleteSubject(svc, 'Dan'),
        () => B.deleteExample(svc, seeded.Eve),
        () => A.deleteExamplesBySubject(svc, 'Fay'),
        () => B.renameSubject(svc, 'Ann', 'Amy'),
        () => add(A, 'Bo', '009_C'),
        () => add(B, 'Dan', '007_B'),
      ]);
      const annsSecond = wave1[0].status === 'fulfilled' ? (wave1[0].value as string) : seeded.Ann;
      // the delete-all first, then examples pushed on both nodes queued behind it (on PostgreSQL in that order,
      // behind a third connection holding the service's lock): they commit while it still removes the crowd's files
      const gate = get().backend === 'postgres' ? await holdingLog(svc.id) : undefined;
      const cleared = wave([() => B.deleteAllSubjects(svc)]);
      await gate?.queued(1);
      const queued = wave([
        () => push(A, 'Hal'),
        () => push(B, 'Ivy'),
        () => push(A, 'Jo'),
        () => push(B, 'Kim'),
      ]);
      await gate?.queued(5);
      await gate?.release();
      await Promise.all([cleared, queued]);
      await holdCollection(svc.id, OLD);
      // the pushed examples (no image: the switch could not embed them again) go, by id and by subject
      await wave([
        () => B.deleteExample(svc, pushed.Hal),
        () => A.deleteExamplesBySubject(svc, 'Ivy'),
        () => B.deleteSubject(svc, 'Jo'),
        () => A.deleteExamples(svc, [pushed.Kim]),
        () => add(A, 'Amy', '002_A'),
        () => add(B, 'Hal', '003_A'),
      ]);
      await wave([
        () => A.changeEmbedder(svc.id, 'faceplugin-recognition'),
        () => A.renameSubject(svc, 'Amy', 'Bo'), // a merge if Bo exists
        () => B.deleteExamplesBySubject(svc, 'Gus'),
        () => B.renameSubject(svc, 'Hal', 'Ivy'),
        () => A.deleteExample(svc, annsSecond),
        () => add(B, 'Amy', '001_A'),
        () => add(A, 'Jo', '008_B'),
        () => add(B, 'Kim', '004_A'),
      ]);
      // while the switch's job may still embed the collection again
      await wave([
        () => add(B, 'Lee', '005_A'),
        () => A.renameSubject(svc, 'Kim', 'Kai'),
        () => B.deleteSubject(svc, 'Jo'),
        () => add(A, 'Kai', '006_A'),
        () => B.renameSubject(svc, 'Ivy', 'Kai'), // a merge if Kai exists
        () => add(A, 'Max', '009_C'),
        () => B.deleteExamples(svc, [seeded.Ann, annsSecond]),
        () => add(B, 'Ned', '003_A'),
      ]);
      for (const n of nodes) await n.embedderJobsIdle();
      return { svc: await A.resolveKey(svc.apiKey, 'recognition'), photoOf };
    }

    /**
     * Once every node has heard every change, each one's index holds the database's rows of the service's embedder
     * (`embedder`): the same examples, each with its subject's name; returns those rows.
     */
    async function holdCollection(serviceId: string, embedder: string) {
      const { db } = get();
      for (const n of nodes) await n.collections.indexes!.settled();
      expect(await serviceEmbedder(db, serviceId)).toBe(embedder);
      expect(await listExamplesWithoutEmbedding(db, serviceId, embedder)).toEqual([]);
      const rows = await loadServiceEmbeddings(db, serviceId, embedder);
      const truth = rows.map((r) => `${r.id} ${r.subject} ${embedder}`).sort();
      for (const [i, node] of nodes.entries()) {
        const held = node.collections.indexes!.contents(serviceId);
        const holds = held.examples.map((e) => `${e.id} ${e.subject} ${held.embedder}`).sort();
        expect(holds, `node ${i}`).toEqual(truth);
      }
      return rows;
    }

    it.each(RUNS)(
      'run %i: every node’s index holds exactly the collection and recognises it',
      async (run) => {
        const { svc, photoOf } = await schedule(run);
        const rows = await holdCollection(svc.id, NEW);
        const names = new Set(rows.map((r) => r.subject));
        // every example's own photo is its subject's (the subjects of every example of that photo tie at ~1)
        const subjectsOf = new Map<string, Set<string>>();
        for (const r of rows) {
          const file = photoOf.get(r.id)!;
          subjectsOf.set(file, (subjectsOf.get(file) ?? new Set()).add(r.subject));
        }
        for (const node of nodes)
          for (const file of new Set(photoOf.values())) {
            const [face] = (await node.recognize(svc, { bytes: bytesOf(file) }, { predictionCount: 3 }))
              .result;
            // a deleted or renamed subject's name never comes back
            for (const s of face.subjects) expect(names, file).toContain(s.subject);
            const own = subjectsOf.get(file);
            if (!own) continue;
            expect(own, file).toContain(face.subjects[0].subject);
            expect(face.subjects[0].similarity, file).toBeGreaterThan(0.9);
          }
      },
    );
  },
  { env: { SAVE_IMAGES_TO_DB: 'false' } },
);
