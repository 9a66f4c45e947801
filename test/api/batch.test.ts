// Batch endpoints: enrol many images and verify many pairs in one request, each item with its own result
// (the single endpoints' error codes), good items stored and bad ones not; request-wide limits refuse the whole.
import { expect, it } from 'vitest';
import { base64, client, describeApi, format, read, sample } from './harness.js';

const FACES = '/api/v1/recognition/faces';
const BATCH = `${FACES}/batch`;
const VERIFY = '/api/v1/verification/verify/batch';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface ItemError {
  message: string;
  code: number;
}
interface EnrolItem {
  index: number;
  filename?: string;
  image_id?: string;
  subject?: string;
  error?: ItemError;
}
interface Box {
  probability: number;
  x_min: number;
  y_min: number;
  x_max: number;
  y_max: number;
}
interface VerifyItem {
  index: number;
  similarity?: number;
  source_box?: Box;
  target_box?: Box;
  error?: ItemError;
}

describeApi('batch', (ctx) => {
  const rec = () => client(ctx().app, ctx().keys.recognition);
  const ver = () => client(ctx().app, ctx().keys.verification);
  const ids = async (subject: string) => {
    const page = await read<{ faces: { image_id: string }[] }>(
      rec().get(`${FACES}?size=100&subject=${encodeURIComponent(subject)}`),
    );
    return page.body.faces.map((f) => f.image_id).sort();
  };
  /** POSTs many `file` parts (the harness's helper sends one part per name). */
  const postFiles = (path: string, files: [Uint8Array, string][], app = ctx().app) => {
    const form = new FormData();
    for (const [bytes, name] of files)
      form.append('file', new File([bytes as Uint8Array<ArrayBuffer>], name));
    return app.request(path, {
      method: 'POST',
      headers: { 'x-api-key': ctx().keys.recognition },
      body: form,
    });
  };

  it('enrols the good files of a multipart batch and reports each bad one with its code', async () => {
    const r = await read<{ result: EnrolItem[] }>(
      postFiles(`${BATCH}?subject=Batch%20A`, [
        [sample('002_A.jpg'), '002_A.jpg'],
        [sample('017_0.jpg'), '017_0.jpg'],
        [sample('000_5.jpg'), '000_5.jpg'],
        [format('corrupted.png'), 'corrupted.png'],
        [sample('009_C.jpg'), 'face.txt'],
        [sample('005_A.jpg'), '005_A.jpg'],
      ]),
    );
    expect(r.status).toBe(200);
    const res = r.body.result;
    expect(res.map((x) => [x.index, x.filename])).toEqual([
      [0, '002_A.jpg'],
      [1, '017_0.jpg'],
      [2, '000_5.jpg'],
      [3, 'corrupted.png'],
      [4, 'face.txt'],
      [5, '005_A.jpg'],
    ]);
    for (const i of [0, 5]) {
      expect(res[i].subject).toBe('Batch A');
      expect(res[i].image_id).toMatch(UUID);
      expect(res[i].error).toBeUndefined();
    }
    expect(res[1].error).toEqual({ message: 'No face is found in the given image', code: 28 });
    expect(res[2].error).toEqual({ message: 'More than one face in the source image', code: 31 });
    expect(res[3].error?.code).toBe(21);
    expect(res[4].error).toEqual({ message: 'File [face.txt] has an unavailable extension', code: 21 });
    for (const i of [1, 2, 3, 4]) expect(res[i].image_id).toBeUndefined();
    expect(await ids('Batch A')).toEqual([res[0].image_id, res[5].image_id].sort());
  });

  it('enrols a JSON batch with per-item subjects, falling back to the query subject', async () => {
    const r = await read<{ result: EnrolItem[] }>(
      rec().json('POST', `${BATCH}?subject=Batch%20B`, {
        images: [
          { file: base64(sample('007_B.jpg')) },
          { subject: 'Batch B2', file: `data:image/jpeg;base64,${base64(sample('008_B.jpg'))}` },
          { subject: 'Batch B', file: 'this is not base64!' },
          { subject: 'Batch B' },
          { subject: '  ', file: base64(sample('007_B.jpg')) },
        ],
      }),
    );
    expect(r.status).toBe(200);
    const [b1, b2, notB64, missing, blank] = r.body.result;
    expect(b1).toMatchObject({ index: 0, subject: 'Batch B' });
    expect(b2).toMatchObject({ index: 1, subject: 'Batch B2' });
    expect(notB64).toEqual({ index: 2, error: { message: 'Provided value is not Base64', code: 21 } });
    expect(missing).toEqual({ index: 3, error: { message: 'Field file cannot be empty', code: 5 } });
    expect(blank).toEqual({ index: 4, error: { message: 'Subject name is empty', code: 26 } });
    expect(await ids('Batch B')).toEqual([b1.image_id]);
    expect(await ids('Batch B2')).toEqual([b2.image_id]);

    // Without a query subject, an item without its own subject is that item's 33.
    const noSubject = await read<{ result: EnrolItem[] }>(
      rec().json('POST', BATCH, { images: [{ file: base64(sample('017_0.jpg')) }] }),
    );
    expect(noSubject.body.result).toEqual([
      { index: 0, error: { message: 'Required parameter subject is missing', code: 33 } },
    ]);
  });

  it('applies the per-file limit per item, and the body limit and item count to the whole request', async () => {
    const small = ctx().appWith({ maxFileSize: 200_000 });
    const perFile = await read<{ result: EnrolItem[] }>(
      postFiles(
        `${BATCH}?subject=Batch%20Limits`,
        [
          [sample('007_B.jpg'), '007_B.jpg'],
          [sample('002_A.jpg'), '002_A.jpg'],
        ],
        small,
      ),
    );
    expect(perFile.status).toBe(200);
    expect(perFile.body.result[0].image_id).toMatch(UUID);
    expect(perFile.body.result[1].error?.code).toBe(38);

    const before = await ids('Batch Limits');
    const tight = ctx().appWith({ maxBodySize: 150_000 });
    const body = await read<ItemError>(
      postFiles(
        `${BATCH}?subject=Batch%20Limits`,
        [
          [sample('007_B.jpg'), '007_B.jpg'],
          [sample('008_B.jpg'), '008_B.jpg'],
        ],
        tight,
      ),
    );
    expect(body.status).toBe(413);
    expect(body.body.code).toBe(38);

    const tooMany = await read<ItemError>(
      rec().json('POST', `${BATCH}?subject=Batch%20Limits`, {
        images: Array.from({ length: 101 }, () => ({ file: 'AAAA' })),
      }),
    );
    expect(tooMany).toEqual({
      status: 400,
      body: { message: 'A batch holds at most 100 images, got 101', code: 26 },
    });
    expect(await read(postFiles(`${BATCH}?subject=X`, []))).toMatchObject({
      status: 400,
      body: { code: 34 },
    });
    expect(await ids('Batch Limits')).toEqual(before);
  });

  it('verifies many pairs: the same person scores above different people, bad pairs report their code', async () => {
    const b = (name: string) => base64(sample(name));
    const r = await read<{ result: VerifyItem[] }>(
      ver().json('POST', VERIFY, {
        pairs: [
          { source_image: b('002_A.jpg'), target_image: b('005_A.jpg') },
          { source_image: b('002_A.jpg'), target_image: b('007_B.jpg') },
          { source_image: b('007_B.jpg'), target_image: b('008_B.jpg') },
          { source_image: b('017_0.jpg'), target_image: b('005_A.jpg') },
          { source_image: b('000_5.jpg'), target_image: b('005_A.jpg') },
          { source_image: b('002_A.jpg'), target_image: b('017_0.jpg') },
          { source_image: base64(format('corrupted.png')), target_image: b('005_A.jpg') },
          { source_image: b('002_A.jpg') },
        ],
      }),
    );
    expect(r.status).toBe(200);
    const [sameA, diff, sameB, noFace, crowd, noTarget, corrupted, missing] = r.body.result;
    for (const item of [sameA, diff, sameB]) {
      expect(item.error).toBeUndefined();
      expect(item.similarity).toBeGreaterThanOrEqual(0);
      expect(item.similarity).toBeLessThanOrEqual(1);
      expect(item.source_box?.x_max).toBeGreaterThan(item.source_box?.x_min ?? Infinity);
      expect(item.target_box?.y_max).toBeGreaterThan(item.target_box?.y_min ?? Infinity);
    }
    expect(sameA.similarity).toBeGreaterThan(diff.similarity!);
    expect(sameB.similarity).toBeGreaterThan(diff.similarity!);
    expect(noFace).toEqual({ index: 3, error: { message: 'No face is found in the given image', code: 28 } });
    expect(crowd).toEqual({
      index: 4,
      error: { message: 'More than one face in the source image', code: 31 },
    });
    expect(noTarget).toEqual({
      index: 5,
      error: { message: 'No face is found in the given image', code: 28 },
    });
    expect(corrupted.error?.code).toBe(21);
    expect(missing).toEqual({
      index: 7,
      error: { message: 'Field target_image cannot be empty', code: 5 },
    });
  });

  it('refuses a malformed pairs list, and the wrong kind of key, for the whole request', async () => {
    expect(await read(ver().json('POST', VERIFY, { pairs: [] }))).toMatchObject({
      status: 400,
      body: { code: 26 },
    });
    expect(await read(ver().json('POST', VERIFY, '{"pairs": ['))).toMatchObject({
      status: 400,
      body: { code: 36 },
    });
    const wrongKey = await read(rec().json('POST', VERIFY, { pairs: [{}] }));
    expect(wrongKey).toMatchObject({ status: 404, body: { code: 10 } });
  });
});
