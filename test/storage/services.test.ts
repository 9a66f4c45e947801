// The face services end to end with the real engine on real photos, against PGlite and PostgreSQL:
// enrolment rules, recognition (distinct subjects, min similarity), verification, detection, embeddings.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FaceEngine } from '../../shared/engine/types.js';
import {
  ImageNotFound,
  NoFaceFound,
  TooManyFaces,
  UnsupportedImage,
  ValidationError,
  WrongEmbedding,
} from '../../shared/errors.js';
import { testDecode, testEngine } from './test-engine.js';
import { createFaceServices, type FaceServicesRuntime } from '../../server/src/services/face-services.js';
import type { ServiceRef } from '../../server/src/services/types.js';
import { describeStorage } from './backends.js';

const photo = (name: string) => ({
  bytes: new Uint8Array(
    readFileSync(join(import.meta.dirname, '../fixtures/compreface-samples', `${name}.jpg`)),
  ),
  filename: `${name}.jpg`,
});
const decimals = (x: number) => (String(x).split('.')[1] ?? '').length;

let engine: FaceEngine;
beforeAll(async () => {
  engine = await testEngine();
});
afterAll(() => engine?.dispose());

describeStorage('face services', (get) => {
  let services: FaceServicesRuntime;
  let svc: ServiceRef;
  const enrolled: Record<string, string> = {};

  beforeAll(async () => {
    const { config, db } = get();
    services = await createFaceServices({ config, db, engine, decode: testDecode });
    svc = await services.createService({ type: 'recognition', name: 'Office' });
  });
  afterAll(() => services?.close());

  it('adds examples with exactly one face, creating subjects on the fly, case-insensitively', async () => {
    const a = await services.addExample(svc, 'Anna', photo('002_A'), {});
    expect(a).toEqual({ image_id: expect.stringMatching(/^[0-9a-f-]{36}$/), subject: 'Anna' });
    enrolled.a1 = a.image_id;
    enrolled.a2 = (await services.addExample(svc, 'anna', photo('005_A'), {})).image_id;
    enrolled.b1 = (await services.addExample(svc, 'Ben', photo('007_B'), {})).image_id;
    expect(await services.listSubjects(svc)).toEqual(['Anna', 'Ben']);

    await expect(services.addExample(svc, 'Nobody', photo('017_0'), {})).rejects.toThrow(NoFaceFound);
    await expect(services.addExample(svc, 'Crowd', photo('000_5'), {})).rejects.toThrow(TooManyFaces);
    await expect(
      services.addExample(svc, 'Broken', { bytes: new Uint8Array([1, 2, 3]) }, {}),
    ).rejects.toThrow(UnsupportedImage);
    await expect(services.addExample(svc, 'x'.repeat(51), photo('008_B'), {})).rejects.toThrow(
      ValidationError,
    );
    await expect(
      services.addExample(svc, 'Ben', photo('008_B'), { detProbThreshold: 0.99999 }),
    ).rejects.toThrow(NoFaceFound);
    expect(await services.listSubjects(svc)).toEqual(['Anna', 'Ben']);

    const page0 = await services.listExamples(svc, { page: 0, size: 2 });
    expect(page0).toMatchObject({ page: 0, size: 2, total: 3, totalPages: 2 });
    expect(page0.items.map((i) => i.image_id)).toEqual([enrolled.a1, enrolled.a2]);
    const page1 = await services.listExamples(svc, { page: 1, size: 2 });
    expect(page1.items).toEqual([{ image_id: enrolled.b1, subject: 'Ben' }]);
    expect((await services.listExamples(svc, { page: 0, size: 20, subject: 'ANNA' })).total).toBe(2);
    expect((await services.listExamples(svc, { page: 0, size: 20, subject: 'nobody' })).total).toBe(0);
    await expect(services.listExamples(svc, { page: -1, size: 20 })).rejects.toThrow(ValidationError);
  });

  it('serves the stored image of an example, only to its service', async () => {
    const image = await services.getExampleImage(svc, enrolled.b1);
    expect(image?.contentType).toBe('image/jpeg');
    expect(Buffer.from(image!.bytes).equals(Buffer.from(photo('007_B').bytes))).toBe(true);
    const other = await services.createService({ type: 'recognition', name: 'Other' });
    expect(await services.getExampleImage(other, enrolled.b1)).toBeUndefined();
    expect(await services.getExampleImage(svc, 'not-a-uuid')).toBeUndefined();
  });

  it('recognizes each face with distinct subjects, best first, rounded to 5 decimals', async () => {
    const { result, plugins_versions } = await services.recognize(svc, photo('006_A'), {
      predictionCount: 5,
    });
    expect(result).toHaveLength(1);
    const [face] = result;
    expect(Object.keys(face.box)).toEqual(['probability', 'x_min', 'y_min', 'x_max', 'y_max']);
    expect(face.subjects.map((s) => s.subject)).toEqual(['Anna', 'Ben']);
    expect(face.subjects[0].similarity).toBeGreaterThan(face.subjects[1].similarity);
    for (const s of face.subjects) expect(decimals(s.similarity)).toBeLessThanOrEqual(5);
    expect(face.execution_time).toHaveProperty('detector');
    expect(face.landmarks).toBeUndefined();
    expect(plugins_versions).toMatchObject({ detector: expect.any(String), calculator: expect.any(String) });

    const one = await services.recognize(svc, photo('008_B'), { predictionCount: 1 });
    expect(one.result[0].subjects).toEqual([{ subject: 'Ben', similarity: expect.any(Number) }]);
  });

  it('drops matches under the minimum similarity: request over service over server default', async () => {
    const all = (await services.recognize(svc, photo('008_B'), { predictionCount: 2 })).result[0].subjects;
    expect(all).toHaveLength(2);
    const between = (all[0].similarity + all[1].similarity) / 2;
    const strict = await services.recognize(svc, photo('008_B'), {
      predictionCount: 2,
      minSimilarity: between,
    });
    expect(strict.result[0].subjects).toEqual([all[0]]);
    const none = await services.recognize(svc, photo('008_B'), { predictionCount: 2, minSimilarity: 1 });
    expect(none.result[0].subjects.every((s) => s.similarity >= 1)).toBe(true);
    const strictService = { ...svc, minSimilarity: between };
    const viaService = await services.recognize(strictService, photo('008_B'), { predictionCount: 2 });
    expect(viaService.result[0].subjects).toEqual([all[0]]);
    await expect(services.recognize(svc, photo('008_B'), { predictionCount: 0 })).rejects.toThrow(
      ValidationError,
    );
  });

  it('recognizes several faces with limit, plugins and status=false', async () => {
    await expect(services.recognize(svc, photo('017_0'), { predictionCount: 1 })).rejects.toThrow(
      NoFaceFound,
    );
    const crowd = await services.recognize(svc, photo('000_5'), {
      predictionCount: 1,
      limit: 2,
      plugins: ['landmarks', 'calculator'],
    });
    expect(crowd.result).toHaveLength(2);
    for (const face of crowd.result) {
      expect(face.landmarks).toHaveLength(5);
      expect(face.embedding).toHaveLength(engine.embeddingSize);
      expect(face.subjects).toHaveLength(1);
    }
    const quiet = await services.recognize(svc, photo('008_B'), { predictionCount: 1, status: false });
    expect(quiet.plugins_versions).toBeUndefined();
    expect(quiet.result[0].execution_time).toBeUndefined();
  });

  it('verifies faces against one stored example', async () => {
    const same = await services.verifyExample(svc, enrolled.b1, photo('008_B'), {});
    const other = await services.verifyExample(svc, enrolled.b1, photo('009_C'), {});
    expect(same.result).toHaveLength(1);
    expect(same.result[0].subject).toBe('Ben');
    expect(same.result[0].similarity).toBeGreaterThan(other.result[0].similarity);
    await expect(services.verifyExample(svc, crypto.randomUUID(), photo('008_B'), {})).rejects.toThrow(
      ImageNotFound,
    );
    await expect(services.verifyExample(svc, 'nope', photo('008_B'), {})).rejects.toThrow(ImageNotFound);
    await expect(services.verifyExample(svc, enrolled.b1, photo('017_0'), {})).rejects.toThrow(NoFaceFound);
  });

  it('detects faces; no face is an empty result', async () => {
    const det = await services.createService({ type: 'detection', name: 'Door' });
    const crowd = await services.detect(det, photo('000_5'), { plugins: ['landmarks'] });
    expect(crowd.result.length).toBe(5);
    expect(crowd.result[0].landmarks).toHaveLength(5);
    expect(crowd.result[0].embedding).toBeUndefined();
    expect(crowd.plugins_versions).not.toHaveProperty('calculator');
    // No face is NoFaceFound (400/28), as CompreFace's detection.
    await expect(services.detect(det, photo('017_0'), {})).rejects.toThrow(NoFaceFound);
  });

  it('verifies two images: the source must hold exactly one face', async () => {
    const ver = await services.createService({ type: 'verification', name: 'Check' });
    const { result } = await services.verifyImages(ver, photo('008_B'), photo('000_5'), {});
    expect(result).toHaveLength(1);
    expect(result[0].source_image_face.box).toBeDefined();
    const sims = result[0].face_matches.map((m) => m.similarity);
    expect(sims).toHaveLength(5);
    expect([...sims].sort((x, y) => y - x)).toEqual(sims);
    expect(result[0].plugins_versions).toBeDefined();
    await expect(services.verifyImages(ver, photo('000_5'), photo('008_B'), {})).rejects.toThrow(
      TooManyFaces,
    );
    await expect(services.verifyImages(ver, photo('017_0'), photo('008_B'), {})).rejects.toThrow(NoFaceFound);
  });

  it('recognizes and verifies embeddings, checking their count and dimension', async () => {
    const det = await services.detect(svc, photo('008_B'), { plugins: ['calculator'] });
    const embedding = det.result[0].embedding!;
    const rec = await services.recognizeEmbeddings(svc, [embedding], { predictionCount: 3 });
    expect(rec.result[0].embedding).toBe(embedding);
    expect(rec.result[0].similarities.map((s) => s.subject)).toEqual(['Ben', 'Anna']);

    const wrong = new Array(engine.embeddingSize + 1).fill(0.1);
    await expect(services.recognizeEmbeddings(svc, [wrong], { predictionCount: 1 })).rejects.toThrow(
      WrongEmbedding,
    );
    await expect(services.recognizeEmbeddings(svc, [], { predictionCount: 1 })).rejects.toMatchObject({
      code: 37,
    });

    const a = (await services.detect(svc, photo('009_C'), { plugins: ['calculator'] })).result[0].embedding!;
    const v = await services.verifyEmbeddingsAgainstExample(svc, enrolled.b1, [a, embedding]);
    expect(v.result.map((r) => r.embedding)).toEqual([embedding, a]);
    const pair = await services.verifyEmbeddings(svc, embedding, [a, embedding]);
    expect(pair.result.map((r) => r.embedding)).toEqual([embedding, a]);
    expect(pair.result[0].similarity).toBeGreaterThan(pair.result[1].similarity);
    await expect(services.verifyEmbeddings(svc, wrong, [embedding])).rejects.toThrow(WrongEmbedding);
  });

  it('re-embeds examples that only have another model embedding', async () => {
    const { db } = get();
    await db.query('delete from embeddings where example_id = $1', [enrolled.b1]);
    expect(await services.reembedMissing()).toEqual({ reembedded: 1, failed: 0 });
    const again = await services.recognize(svc, photo('008_B'), { predictionCount: 1 });
    expect(again.result[0].subjects[0].subject).toBe('Ben');
  });

  it('deletes examples and subjects, and recognition forgets them', async () => {
    expect(await services.deleteExamples(svc, [enrolled.a2, crypto.randomUUID(), 'junk'])).toEqual([
      { image_id: enrolled.a2, subject: 'Anna' },
    ]);
    expect(await services.deleteExample(svc, enrolled.a1)).toEqual({
      image_id: enrolled.a1,
      subject: 'Anna',
    });
    await expect(services.deleteExample(svc, enrolled.a1)).rejects.toThrow(ImageNotFound);
    expect(await services.getExampleImage(svc, enrolled.a1)).toBeUndefined();
    const onlyBen = await services.recognize(svc, photo('006_A'), { predictionCount: 5 });
    expect(onlyBen.result[0].subjects.map((s) => s.subject)).toEqual(['Ben']);

    expect(await services.deleteExamplesBySubject(svc, 'nobody')).toEqual({ deleted: 0 });
    expect(await services.deleteSubject(svc, 'BEN')).toEqual({ subject: 'Ben' });
    expect(
      (await services.recognize(svc, photo('008_B'), { predictionCount: 5 })).result[0].subjects,
    ).toEqual([]);
    expect(await services.listSubjects(svc)).toEqual(['Anna']);
    expect((await services.listExamples(svc, { page: 0, size: 20 })).total).toBe(0);
  });
});

describeStorage(
  'face services with images stored as files',
  (get) => {
    it('writes the file with the row, and removes it with the example', async () => {
      const { config, db } = get();
      const services = await createFaceServices({ config, db, engine, decode: testDecode });
      try {
        const svc = await services.createService({ type: 'recognition', name: 'Files' });
        const { image_id } = await services.addExample(svc, 'Ben', photo('007_B'), {});
        const file = join(config.dataDir, 'images', svc.id, image_id);
        expect(existsSync(file)).toBe(true);
        expect((await services.getExampleImage(svc, image_id))?.bytes.length).toBe(
          photo('007_B').bytes.length,
        );
        await expect(services.addExample(svc, 'Crowd', photo('000_5'), {})).rejects.toThrow(TooManyFaces);
        expect(await services.deleteExamplesBySubject(svc, undefined)).toEqual({ deleted: 1 });
        expect(existsSync(file)).toBe(false);
        expect(await services.listSubjects(svc)).toEqual(['Ben']);
      } finally {
        await services.close();
      }
    });
  },
  { env: { SAVE_IMAGES_TO_DB: 'false' } },
);
