// /api/v1/recognition/subjects: create, list, rename and merge, delete one and all.
import { expect, it } from 'vitest';
import { client, describeApiOnEachDatabase, read, sample } from './harness.js';

const SUBJECTS = '/api/v1/recognition/subjects';

// subject names are stored, compared and merged by SQL: both databases
describeApiOnEachDatabase('subjects', (ctx) => {
  const rec = () => client(ctx().app, ctx().keys.recognition);
  const names = async () => (await read<{ subjects: string[] }>(rec().get(SUBJECTS))).body.subjects.sort();

  it('creates a subject (201) and lists it, with or without a trailing slash', async () => {
    expect(await read(rec().json('POST', SUBJECTS, { subject: 'Ada Lovelace' }))).toEqual({
      status: 201,
      body: { subject: 'Ada Lovelace' },
    });
    expect(await names()).toContain('Ada Lovelace');
    const slash = await read<{ subjects: string[] }>(rec().get(`${SUBJECTS}/`));
    expect(slash.body.subjects).toContain('Ada Lovelace');
  });

  it('refuses a duplicate, compared case-insensitively (43)', async () => {
    await rec().json('POST', SUBJECTS, { subject: 'Grace' });
    for (const subject of ['Grace', 'GRACE']) {
      expect(await read(rec().json('POST', SUBJECTS, { subject }))).toEqual({
        status: 400,
        body: { message: 'Subject already exists', code: 43 },
      });
    }
  });

  // CompreFace's SubjectDto is @NotBlank(message = SUBJECT_NAME_IS_EMPTY): 26 "Subject name is empty"
  // (java/api/src/main/java/com/exadel/frs/core/trainservice/system/global/Constants.java).
  it('refuses an empty, missing or non-string subject (26) and one over 50 characters (26)', async () => {
    for (const body of [{}, { subject: '' }, { subject: '   ' }, { subject: 42 }]) {
      expect(await read(rec().json('POST', SUBJECTS, body))).toEqual({
        status: 400,
        body: { message: 'Subject name is empty', code: 26 },
      });
    }
    const long = await read(rec().json('POST', SUBJECTS, { subject: 'x'.repeat(51) }));
    expect(long).toMatchObject({ status: 400, body: { code: 26 } });
    expect(await read(rec().json('POST', SUBJECTS, { subject: 'y'.repeat(50) }))).toMatchObject({
      status: 201,
    });
    expect(await read(rec().json('POST', SUBJECTS, ['subject']))).toMatchObject({
      status: 400,
      body: { code: 36 },
    });
  });

  it('renames a subject, and 404/42 for an unknown one', async () => {
    await rec().json('POST', SUBJECTS, { subject: 'Old Name' });
    expect(await read(rec().json('PUT', `${SUBJECTS}/Old%20Name`, { subject: 'New Name' }))).toEqual({
      status: 200,
      body: { updated: true },
    });
    const list = await names();
    expect(list).toContain('New Name');
    expect(list).not.toContain('Old Name');
    expect(await read(rec().json('PUT', `${SUBJECTS}/Nobody`, { subject: 'Somebody' }))).toEqual({
      status: 404,
      body: { message: 'Subject Nobody not found', code: 42 },
    });
    expect(await read(rec().json('PUT', `${SUBJECTS}/New%20Name`, {}))).toMatchObject({
      status: 400,
      body: { code: 26 },
    });
  });

  it('merges into an existing subject: its examples move, the old name goes', async () => {
    const add = (subject: string, file: string) =>
      read<{ image_id: string }>(
        rec().multipart(`/api/v1/recognition/faces?subject=${subject}`, { file: [sample(file), file] }),
      );
    const b1 = await add('MergeFrom', '007_B.jpg');
    const b2 = await add('MergeInto', '008_B.jpg');
    expect(b1.status).toBe(201);
    expect(b2.status).toBe(201);
    expect(await read(rec().json('PUT', `${SUBJECTS}/MergeFrom`, { subject: 'MergeInto' }))).toEqual({
      status: 200,
      body: { updated: true },
    });
    expect(await names()).not.toContain('MergeFrom');
    const faces = await read<{ faces: { image_id: string; subject: string }[] }>(
      rec().get('/api/v1/recognition/faces?subject=MergeInto'),
    );
    expect(faces.body.faces.map((f) => f.image_id).sort()).toEqual(
      [b1.body.image_id, b2.body.image_id].sort(),
    );
    expect(new Set(faces.body.faces.map((f) => f.subject))).toEqual(new Set(['MergeInto']));
  });

  it('deletes a subject with its examples, and 404/42 for an unknown one', async () => {
    const added = await read<{ image_id: string }>(
      rec().multipart('/api/v1/recognition/faces?subject=Ephemeral%20%C3%89', {
        file: [sample('009_C.jpg'), 'c.jpg'],
      }),
    );
    expect(added.status).toBe(201);
    expect(await read(rec().delete(`${SUBJECTS}/Ephemeral%20%C3%89`))).toEqual({
      status: 200,
      body: { subject: 'Ephemeral É' },
    });
    expect(await names()).not.toContain('Ephemeral É');
    expect((await read(rec().delete(`/api/v1/recognition/faces/${added.body.image_id}`))).status).toBe(404);
    expect(await read(rec().delete(`${SUBJECTS}/Ephemeral%20%C3%89`))).toEqual({
      status: 404,
      body: { message: 'Subject Ephemeral É not found', code: 42 },
    });
  });

  it('deletes every subject and answers how many', async () => {
    const before = (await names()).length;
    expect(before).toBeGreaterThan(0);
    expect(await read(rec().delete(SUBJECTS))).toEqual({ status: 200, body: { deleted: before } });
    expect(await names()).toEqual([]);
    expect(await read(rec().delete(SUBJECTS))).toEqual({ status: 200, body: { deleted: 0 } });
  });
});
