// SEARCH_BACKEND=pgvector, on PGlite (@electric-sql/pglite-pgvector) and on the real PostgreSQL server (pgvector
// 0.8.6 built from ../shared/vendor by .ci/run): answers recognition like the in-memory index (real photos, real
// engine), stays in step through deletes and renames, and decodes the stored float32 bytes exactly; a server where
// the extension cannot be created refuses to start with PgvectorUnavailable.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaceEngine } from '../../shared/engine/types.js';
import { openDatabase } from '../../server/src/db/open.js';
import { PgvectorUnavailable } from '../../server/src/db/pgvector.js';
import type { Db } from '../../server/src/db/types.js';
import { testDecode, testEngine } from './test-engine.js';
import { createFaceServices, type FaceServicesRuntime } from '../../server/src/services/face-services.js';
import type { ServiceRef } from '../../server/src/services/types.js';
import postgres from 'postgres';
import { createTestDatabase, PG_ADMIN_URL } from './backends.js';

const photo = (name: string) => ({
  bytes: new Uint8Array(
    readFileSync(join(import.meta.dirname, '../fixtures/compreface-samples', `${name}.jpg`)),
  ),
  filename: `${name}.jpg`,
});

let engine: FaceEngine;
beforeAll(async () => {
  engine = await testEngine();
});
afterAll(() => engine?.dispose());

describe.each(['pglite', 'postgres'] as const)('pgvector search backend [%s]', (backend) => {
  let db: Db;
  let cleanup: () => Promise<void>;
  let pgvector: FaceServicesRuntime;
  let memory: FaceServicesRuntime;
  let svc: ServiceRef;
  let other: ServiceRef;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    const created = await createTestDatabase(backend, { SEARCH_BACKEND: 'pgvector' }, { migrated: true });
    cleanup = created.cleanup;
    db = await openDatabase(created.config);
    pgvector = await createFaceServices({ config: created.config, db, engine, decode: testDecode });
    // the same database searched in memory, for reference
    const memoryConfig = { ...created.config, searchBackend: 'memory' as const };
    memory = await createFaceServices({ config: memoryConfig, db, engine, decode: testDecode });
    svc = await pgvector.createService({ type: 'recognition', name: 'Office' });
    other = await pgvector.createService({ type: 'recognition', name: 'Other' });
  });
  afterAll(async () => {
    await pgvector?.close();
    await memory?.close();
    await db?.close();
    await cleanup?.();
  });

  it('stores every embedding as a vector(512) with an HNSW index, decoded exactly', async () => {
    for (const [name, file] of [
      ['Anna', '002_A'],
      ['Anna', '005_A'],
      ['Ben', '007_B'],
      ['Cleo', '009_C'],
    ] as const)
      ids[file] = (await pgvector.addExample(svc, name, photo(file), {})).image_id;
    await pgvector.addExample(other, 'Dora', photo('001_A'), {});
    const [{ n }] = await db.query<{ n: number }>('select count(*)::int as n from example_vectors');
    expect(n).toBe(5);
    const index = await db.query<{ def: string }>(
      `select indexdef as def from pg_indexes where tablename = 'example_vectors' and indexdef like '%hnsw%'`,
    );
    expect(index[0].def).toContain('vector_ip_ops');
    const rows = await db.query<{ text: string; vector: Uint8Array }>(
      `select x.embedding::text as text, v.vector from example_vectors x
         join embeddings v on v.example_id = x.example_id and v.embedder = x.embedder`,
    );
    for (const r of rows) {
      const stored = new Float32Array(new Uint8Array(r.vector).buffer);
      expect((JSON.parse(r.text) as number[]).map(Math.fround)).toEqual(Array.from(stored));
    }
  });

  it('decodes signs, zeros, subnormals and extremes of float32', async () => {
    const values = new Float32Array([0, -0, 1, -1.5, 1e-40, -3e-45, 1.17549435e-38, 3.4e38, -0.123456789]);
    const [row] = await db.query<{ text: string }>('select visor_f32le_vector($1)::text as text', [
      new Uint8Array(values.buffer),
    ]);
    expect((JSON.parse(row.text) as number[]).map(Math.fround)).toEqual(Array.from(values));
  });

  it('recognizes like the in-memory index: same subjects, same similarities, only this service', async () => {
    // each query photo goes through the engine once; both indexes answer for its embedding at every count
    // (recognize and recognizeEmbeddings share matchSubjects; the photo path through pgvector is checked below)
    for (const query of ['006_A', '008_B', '003_A']) {
      const embeddings = (await pgvector.detect(svc, photo(query), { plugins: ['calculator'] })).result.map(
        (f) => f.embedding!,
      );
      for (const predictionCount of [1, 2, 5]) {
        const a = await pgvector.recognizeEmbeddings(svc, embeddings, { predictionCount });
        const b = await memory.recognizeEmbeddings(svc, embeddings, { predictionCount });
        expect(a.result[0].similarities.length).toBeGreaterThan(0);
        expect(a.result.map((f) => f.similarities)).toEqual(b.result.map((f) => f.similarities));
      }
    }
    const [face] = (await pgvector.recognize(svc, photo('006_A'), { predictionCount: 5 })).result;
    expect(face.subjects.map((s) => s.subject).sort()).toEqual(['Anna', 'Ben', 'Cleo']);
    expect(face.subjects[0].subject).toBe('Anna');
    const [ben] = (await pgvector.recognize(svc, photo('008_B'), { predictionCount: 1 })).result;
    expect(ben.subjects.map((s) => s.subject)).toEqual(['Ben']);
    const [dora] = (await pgvector.recognize(other, photo('006_A'), { predictionCount: 5 })).result;
    expect(dora.subjects.map((s) => s.subject)).toEqual(['Dora']);
    const verified = await pgvector.verifyExample(svc, ids['007_B'], photo('008_B'), {});
    expect(verified.result[0]).toMatchObject({ subject: 'Ben' });
  });

  it('stays in step with deletes, renames and subject deletion', async () => {
    await pgvector.deleteExample(svc, ids['007_B']);
    let [face] = (await pgvector.recognize(svc, photo('008_B'), { predictionCount: 5 })).result;
    expect(face.subjects.map((s) => s.subject).sort()).toEqual(['Anna', 'Cleo']);
    await pgvector.renameSubject(svc, 'Cleo', 'Clara');
    await pgvector.deleteSubject(svc, 'Anna');
    [face] = (await pgvector.recognize(svc, photo('006_A'), { predictionCount: 5 })).result;
    expect(face.subjects.map((s) => s.subject)).toEqual(['Clara']);
    const [{ n }] = await db.query<{ n: number }>('select count(*)::int as n from example_vectors');
    expect(n).toBe(2);
  });
});

describe('pgvector search backend [postgres, extension not creatable]', () => {
  // pgvector is not a trusted extension: a role that is not a superuser cannot create it (a managed server
  // without pgvector behaves the same way at start; where the extension is not installed at all the message says so).
  it('fails at start with PgvectorUnavailable', async () => {
    const admin = postgres(PG_ADMIN_URL, { max: 1, onnotice: () => {} });
    const role = `visor_noext_${process.pid}_${Date.now().toString(36)}`;
    await admin.unsafe(`create role ${role} login`);
    await admin.unsafe(`create database ${role} owner ${role}`);
    const url = new URL(PG_ADMIN_URL);
    url.username = role;
    url.pathname = `/${role}`;
    const config = { databaseUrl: url.toString(), dataDir: '.', searchBackend: 'pgvector' as const };
    try {
      await expect(openDatabase(config)).rejects.toThrow(PgvectorUnavailable);
      await expect(openDatabase(config)).rejects.toThrow(
        /(permission denied|not available).*SEARCH_BACKEND=memory/,
      );
    } finally {
      await admin.unsafe(`drop database if exists ${role} with (force)`);
      await admin.unsafe(`drop role if exists ${role}`);
      await admin.end();
    }
  });
});
