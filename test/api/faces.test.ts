// /api/v1/recognition/faces: examples added from every kind of input, bad images refused cleanly, listed, downloaded
// (whole or as thumbnails), deleted, and verified against.
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { expect, it } from 'vitest';
import { THUMBNAIL_SIDES } from '../../server/src/contracts/server.js';
import { base64, client, describeApi, format, read, sample } from './harness.js';

const FACES = '/api/v1/recognition/faces';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface Example {
  image_id: string;
  subject: string;
}
interface FacesPage {
  faces: Example[];
  page_number: number;
  page_size: number;
  total_pages: number;
  total_elements: number;
}

/** A valid 8 KB PNG that decodes to 8000x8000 pixels (64 M, over the default 40 M limit): a decompression bomb. */
function pngBomb(side = 8000): Uint8Array {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr.set([1, 0, 0, 0, 0], 8); // 1-bit greyscale
  const rows = Buffer.alloc(side * (side / 8 + 1)); // filter byte 0 + zero pixels, row after row
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
  return new Uint8Array(png);
}

/** The decoded size and format of an image response's body. */
async function decoded(res: Response) {
  const { width = 0, height = 0, format } = await sharp(new Uint8Array(await res.arrayBuffer())).metadata();
  return { width, height, format };
}

/** Mean absolute difference of two images' pixels (0..255), both scaled to `w`x`h`. */
async function pixelDistance(a: Uint8Array, b: Uint8Array, w: number, h: number): Promise<number> {
  const px = (bytes: Uint8Array) => sharp(bytes).resize(w, h, { fit: 'fill' }).removeAlpha().raw().toBuffer();
  const [pa, pb] = await Promise.all([px(a), px(b)]);
  let sum = 0;
  for (let i = 0; i < pa.length; i++) sum += Math.abs(pa[i] - pb[i]);
  return sum / pa.length;
}

describeApi('faces', (ctx) => {
  const rec = () => client(ctx().app, ctx().keys.recognition);
  const total = async () => (await read<FacesPage>(rec().get(FACES))).body.total_elements;
  const addFile = (subject: string, file: string, bytes = sample(file)) =>
    read<Example>(
      rec().multipart(`${FACES}?subject=${encodeURIComponent(subject)}`, { file: [bytes, file] }),
    );

  it('adds an example from multipart (201), creating the subject on the fly', async () => {
    const r = await addFile('Person A', '004_A.jpg');
    expect(r.status).toBe(201);
    expect(r.body.subject).toBe('Person A');
    expect(r.body.image_id).toMatch(UUID);
    const subjects = await read<{ subjects: string[] }>(rec().get('/api/v1/recognition/subjects'));
    expect(subjects.body.subjects).toContain('Person A');
  });

  it('adds an example from Base64 JSON, plain and with a data-URL prefix, and from the seed demo URL', async () => {
    const plain = await read<Example>(
      rec().json('POST', `${FACES}?subject=Person%20A`, { file: base64(sample('005_A.jpg')) }),
    );
    expect(plain).toMatchObject({ status: 201, body: { subject: 'Person A' } });
    const dataUrl = `data:image/jpeg;base64,${base64(sample('007_B.jpg'))}`;
    const prefixed = await read<Example>(
      rec().json('POST', `${FACES}?subject=Person%20B`, { file: dataUrl }),
    );
    expect(prefixed).toMatchObject({ status: 201, body: { subject: 'Person B' } });
    // The seed's demo posts to /faces/?subject=… (trailing slash).
    const form = await read(
      rec().multipart(`${FACES}/?subject=Person%20B`, { file: [sample('008_B.jpg'), 'photo.JPG'] }),
    );
    expect(form).toMatchObject({ status: 201, body: { subject: 'Person B' } });
  });

  it('refuses an image without a face (28) or with several (31) and writes nothing', async () => {
    const before = await total();
    expect(await addFile('Nobody', '017_0.jpg')).toEqual({
      status: 400,
      body: { message: 'No face is found in the given image', code: 28 },
    });
    expect(await addFile('Crowd', '000_5.jpg')).toEqual({
      status: 400,
      body: { message: 'More than one face in the source image', code: 31 },
    });
    expect(await total()).toBe(before);
  });

  it('refuses corrupted, empty and truncated files with 400 code 21 and a clear message, never 500', async () => {
    const before = await total();
    for (const name of ['corrupted.png', 'empty.png', 'truncated.jpg']) {
      const multipart = await read<{ message: string; code: number }>(
        rec().multipart(`${FACES}?subject=Broken`, { file: [format(name), name] }),
      );
      expect(multipart.status, name).toBe(400);
      expect(multipart.body.code, name).toBe(21);
      expect(multipart.body.message.length, name).toBeGreaterThan(10);
      const json = await read<{ code: number }>(
        rec().json('POST', `${FACES}?subject=Broken`, { file: base64(format(name)) }),
      );
      expect(json.status, name).toBe(400);
      expect(json.body.code, name).toBe(21);
    }
    expect(await total()).toBe(before);
  });

  it('refuses a decompression bomb with 21 before decoding it', async () => {
    const bomb = pngBomb();
    expect(bomb.byteLength).toBeLessThan(50_000);
    const r = await read<{ message: string; code: number }>(
      rec().multipart(`${FACES}?subject=Bomb`, { file: [bomb, 'bomb.png'] }),
    );
    expect(r.status).toBe(400);
    expect(r.body.code).toBe(21);
    expect(r.body.message).toMatch(/8000x8000 pixels, more than the 40000000-pixel limit/);
  });

  it('refuses a disallowed extension, invalid Base64, a missing part and a missing subject', async () => {
    expect(
      await read(rec().multipart(`${FACES}?subject=X`, { file: [sample('009_C.jpg'), 'face.txt'] })),
    ).toEqual({
      status: 400,
      body: { message: 'File [face.txt] has an unavailable extension', code: 21 },
    });
    expect(
      await read(rec().multipart(`${FACES}?subject=X`, { file: [sample('009_C.jpg'), 'noextension'] })),
    ).toMatchObject({
      status: 400,
      body: { code: 21 },
    });
    expect(await read(rec().json('POST', `${FACES}?subject=X`, { file: 'this is not base64!' }))).toEqual({
      status: 400,
      body: { message: 'Provided value is not Base64', code: 21 },
    });
    expect(await read(rec().json('POST', `${FACES}?subject=X`, { file: 12 }))).toMatchObject({
      status: 400,
      body: { code: 21 },
    });
    expect(
      await read(rec().multipart(`${FACES}?subject=X`, { image: [sample('009_C.jpg'), 'c.jpg'] })),
    ).toEqual({
      status: 400,
      body: { message: 'Required part file is missing', code: 34 },
    });
    // A JSON body without `file`: CompreFace's Base64File has it @NotNull, so 5 (java/api/.../dto/Base64File.java).
    expect(await read(rec().json('POST', `${FACES}?subject=X`, {}))).toEqual({
      status: 400,
      body: { message: 'Field file cannot be empty', code: 5 },
    });
    expect(await read(rec().multipart(FACES, { file: [sample('009_C.jpg'), 'c.jpg'] }))).toEqual({
      status: 400,
      body: { message: 'Required parameter subject is missing', code: 33 },
    });
    expect(
      await read(rec().multipart(`${FACES}?subject=`, { file: [sample('009_C.jpg'), 'c.jpg'] })),
    ).toEqual({
      status: 400,
      body: { message: 'Subject name is empty', code: 26 },
    });
    expect(
      await read(
        rec().multipart(`${FACES}?subject=${'z'.repeat(51)}`, { file: [sample('009_C.jpg'), 'c.jpg'] }),
      ),
    ).toMatchObject({
      status: 400,
      body: { code: 26 },
    });
    expect(
      await read(
        rec().multipart(`${FACES}?subject=X&det_prob_threshold=1.5`, {
          file: [sample('009_C.jpg'), 'c.jpg'],
        }),
      ),
    ).toMatchObject({
      status: 400,
      body: { code: 26 },
    });
  });

  it('lists examples with CompreFace paging, filtered by subject', async () => {
    const all = await read<FacesPage>(rec().get(FACES));
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ page_number: 0, page_size: 20, total_pages: 1, total_elements: 4 });
    expect(all.body.faces).toHaveLength(4);
    const first = await read<FacesPage>(rec().get(`${FACES}?page=0&size=3`));
    expect(first.body).toMatchObject({ page_number: 0, page_size: 3, total_pages: 2, total_elements: 4 });
    expect(first.body.faces).toHaveLength(3);
    const second = await read<FacesPage>(rec().get(`${FACES}?page=1&size=3`));
    expect(second.body).toMatchObject({ page_number: 1, page_size: 3, total_pages: 2, total_elements: 4 });
    expect(second.body.faces).toHaveLength(1);
    const ids = new Set([...first.body.faces, ...second.body.faces].map((f) => f.image_id));
    expect(ids).toEqual(new Set(all.body.faces.map((f) => f.image_id)));
    expect((await read<FacesPage>(rec().get(`${FACES}?page=5&size=3`))).body.faces).toEqual([]);
    const b = await read<FacesPage>(rec().get(`${FACES}?subject=Person%20B`));
    expect(b.body.total_elements).toBe(2);
    expect(b.body.faces.every((f) => f.subject === 'Person B')).toBe(true);
    const none = await read<FacesPage>(rec().get(`${FACES}?subject=Nobody%20At%20All`));
    expect(none.body).toMatchObject({ faces: [], total_elements: 0 });
    // Spring Data's clamping, as CompreFace's Pageable (spring-data-commons
    // PageableHandlerMethodArgumentResolverSupport): bad or negative page → 0, bad or < 1 size → 20, size ≤ 2000.
    const clamped: [string, number, number][] = [
      ['size=0', 0, 20],
      ['size=-4', 0, 20],
      ['size=abc', 0, 20],
      ['size=1.5', 0, 20],
      ['page=-1&size=3', 0, 3],
      ['page=x&size=3', 0, 3],
      ['page=99999999999&size=3', 0, 3],
      ['size=5000', 0, 2000],
    ];
    for (const [q, page, size] of clamped) {
      expect(await read(rec().get(`${FACES}?${q}`)), q).toMatchObject({
        status: 200,
        body: { page_number: page, page_size: size, total_elements: 4 },
      });
    }
  });

  it('downloads an example image with the key header and by the static URL, empty when missing', async () => {
    const { app, keys } = ctx();
    const bytes = sample('009_C.jpg');
    const added = await addFile('Person C', '009_C.jpg', bytes);
    for (const res of [
      await rec().get(`${FACES}/${added.body.image_id}/img`),
      await app.request(`/api/v1/static/${keys.recognition}/images/${added.body.image_id}`),
    ]) {
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/jpeg');
      expect(res.headers.get('cache-control')).toMatch(/max-age=31536000/);
      expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes);
    }
    const missing = '6b135f5b-a365-4522-b1f1-4c9ac2dd0728';
    for (const res of [
      await rec().get(`${FACES}/${missing}/img`),
      await rec().get(`${FACES}/not-a-uuid/img`),
      await app.request(`/api/v1/static/${keys.recognition}/images/${missing}`),
      await app.request(`/api/v1/static/${keys.detection}/images/${added.body.image_id}`),
      await app.request(`/api/v1/static/not-a-key/images/${added.body.image_id}`),
    ]) {
      expect(res.status).toBe(200);
      expect((await res.arrayBuffer()).byteLength).toBe(0);
    }
    expect(
      (await read(client(app, undefined).get(`${FACES}/${added.body.image_id}/img`))).body,
    ).toMatchObject({ code: 20 });
  });

  it('answers a JPEG thumbnail of the static image with ?size=, upright, never scaled up', async () => {
    const { app, keys } = ctx();
    const url = (id: string, q = '', key = keys.recognition) => `/api/v1/static/${key}/images/${id}${q}`;
    const people = (await read<FacesPage>(rec().get(FACES))).body.faces;
    expect(people.length).toBeGreaterThan(2);
    for (const { image_id } of people) {
      const original = await decoded(await app.request(url(image_id)));
      for (const size of [THUMBNAIL_SIDES[0], 256, THUMBNAIL_SIDES[1]]) {
        const res = await app.request(url(image_id, `?size=${size}`));
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toBe('image/jpeg');
        expect(res.headers.get('cache-control')).toMatch(/private, max-age=31536000/);
        const thumb = await decoded(res);
        expect(thumb.format).toBe('jpeg');
        // The longer side is `size` (or the original's, never more); the other keeps the aspect ratio.
        const scale = Math.min(1, size / Math.max(original.width, original.height));
        expect(Math.max(thumb.width, thumb.height), `${image_id} ${size}`).toBe(
          Math.round(Math.max(original.width, original.height) * scale),
        );
        expect(Math.abs(thumb.width - original.width * scale), `${image_id} ${size}`).toBeLessThanOrEqual(1);
        expect(Math.abs(thumb.height - original.height * scale), `${image_id} ${size}`).toBeLessThanOrEqual(
          1,
        );
      }
    }
    // Blank is absent: the stored image byte for byte.
    const [first] = people;
    const stored = new Uint8Array(await (await app.request(url(first.image_id))).arrayBuffer());
    expect(new Uint8Array(await (await app.request(url(first.image_id, '?size='))).arrayBuffer())).toEqual(
      stored,
    );

    // A portrait photo stored on its side with EXIF orientation 6 (turn 90° clockwise to show), as phones do.
    const upright = sample('009_C.jpg');
    const sideways = new Uint8Array(
      await sharp(upright).rotate(270).withMetadata({ orientation: 6 }).jpeg({ quality: 95 }).toBuffer(),
    );
    expect(await sharp(sideways).metadata()).toMatchObject({ width: 522, height: 348, orientation: 6 });
    const turned = await addFile('Person Turned', 'turned.jpg', sideways);
    expect(turned.status).toBe(201);
    const res = await app.request(url(turned.body.image_id, '?size=128'));
    const thumb = new Uint8Array(await res.arrayBuffer());
    const meta = await sharp(thumb).metadata();
    expect(meta).toMatchObject({ width: 85, height: 128 });
    expect(meta.orientation ?? 1).toBe(1);
    // It looks like the upright photo, not like the stored pixels.
    expect(await pixelDistance(thumb, upright, 85, 128)).toBeLessThan(8);
    expect(
      await pixelDistance(thumb, await sharp(sideways).resize(85, 128, { fit: 'fill' }).toBuffer(), 85, 128),
    ).toBeGreaterThan(20);

    // A bad size is CompreFace's 400 (26), whatever the key; unknown images and keys stay an empty 200.
    for (const q of ['0', '15', '1025', '-1', '1.5', 'abc', '1e3', '99999999999999999999']) {
      for (const key of [keys.recognition, 'not-a-key']) {
        const bad = await read<{ message: string; code: number }>(
          app.request(url(first.image_id, `?size=${q}`, key)),
        );
        expect(bad, q).toMatchObject({ status: 400, body: { code: 26 } });
        expect(bad.body.message, q).toMatch(/^size must be an integer from 16 to 1024/);
      }
    }
    // The contract documents it.
    const doc = await read<{ paths: Record<string, { get: { parameters: object[] } }> }>(
      app.request('/api/openapi.json'),
    );
    expect(doc.body.paths['/api/v1/static/{api_key}/images/{image_id}'].get.parameters).toContainEqual(
      expect.objectContaining({
        name: 'size',
        in: 'query',
        schema: expect.objectContaining({ type: 'integer', minimum: 16, maximum: 1024 }),
      }),
    );
    // A deleted example's thumbnail is gone as its image is (never cached: no-store).
    const missing = '6b135f5b-a365-4522-b1f1-4c9ac2dd0728';
    expect(await read(rec().delete(`${FACES}/${turned.body.image_id}`))).toMatchObject({ status: 200 });
    for (const path of [
      url(missing, '?size=256'),
      url('not-a-uuid', '?size=256'),
      url(turned.body.image_id, '?size=256'),
      url(first.image_id, '?size=256', keys.detection),
      url(first.image_id, '?size=256', 'not-a-key'),
    ]) {
      const empty = await app.request(path);
      expect(empty.status, path).toBe(200);
      expect(empty.headers.get('cache-control'), path).toBe('no-store');
      expect((await empty.arrayBuffer()).byteLength, path).toBe(0);
    }
  });

  it('verifies an image against a saved example, multipart and Base64', async () => {
    const a = (await read<FacesPage>(rec().get(`${FACES}?subject=Person%20A`))).body.faces[0];
    const same = await read<{ result: { box: object; subject: string; similarity: number }[] }>(
      rec().multipart(`${FACES}/${a.image_id}/verify`, { file: [sample('006_A.jpg'), '006_A.jpg'] }),
    );
    expect(same.status).toBe(200);
    expect(same.body.result).toHaveLength(1);
    expect(same.body.result[0]).toMatchObject({ subject: 'Person A', box: expect.any(Object) });
    const other = await read<{ result: { similarity: number }[] }>(
      rec().json('POST', `${FACES}/${a.image_id}/verify`, { file: base64(sample('008_B.jpg')) }),
    );
    expect(other.status).toBe(200);
    expect(same.body.result[0].similarity).toBeGreaterThan(other.body.result[0].similarity);
    expect(same.body.result[0].similarity).toBeGreaterThan(0.5);
    expect(other.body.result[0].similarity).toBeLessThan(0.5);
    const missing = '6b135f5b-a365-4522-b1f1-4c9ac2dd0728';
    expect(
      await read(rec().multipart(`${FACES}/${missing}/verify`, { file: [sample('006_A.jpg'), 'a.jpg'] })),
    ).toEqual({
      status: 404,
      body: { message: `Image ${missing} not found`, code: 44 },
    });
  });

  it('deletes one example by id (404/44 the second time), many by ids, by subject, and all', async () => {
    const list = (await read<FacesPage>(rec().get(FACES))).body.faces;
    const [first, second, third] = list;
    expect(await read(rec().delete(`${FACES}/${first.image_id}`))).toEqual({ status: 200, body: first });
    expect(await read(rec().delete(`${FACES}/${first.image_id}`))).toEqual({
      status: 404,
      body: { message: `Image ${first.image_id} not found`, code: 44 },
    });
    const many = await read<Example[]>(
      rec().json('POST', `${FACES}/delete`, [
        second.image_id,
        'b0b0b0b0-0000-4000-8000-000000000000',
        third.image_id,
        'junk',
      ]),
    );
    expect(many.status).toBe(200);
    expect(many.body).toEqual([second, third]);
    expect(await read(rec().json('POST', `${FACES}/delete`, { ids: [] }))).toMatchObject({
      status: 400,
      body: { code: 36 },
    });

    const remaining = (await read<FacesPage>(rec().get(FACES))).body.faces;
    const gone = remaining[0].subject;
    const bySubject = remaining.filter((f) => f.subject === gone).length;
    expect(await read(rec().delete(`${FACES}?subject=${encodeURIComponent(gone)}`))).toEqual({
      status: 200,
      body: { deleted: bySubject },
    });
    // With a subject, the subject goes too (CompreFace's SubjectService.removeAllSubjectEmbeddings,
    // java/api/src/main/java/com/exadel/frs/core/trainservice/service/SubjectService.java).
    const subjectsLeft = async () =>
      (await read<{ subjects: string[] }>(rec().get('/api/v1/recognition/subjects'))).body.subjects;
    expect(await subjectsLeft()).not.toContain(gone);
    expect(await read(rec().delete(`${FACES}?subject=Nobody%20At%20All`))).toEqual({
      status: 200,
      body: { deleted: 0 },
    });
    const left = await total();
    expect(await read(rec().delete(FACES))).toEqual({ status: 200, body: { deleted: left } });
    expect(await total()).toBe(0);
    // Deleting every example (no subject) keeps the subjects, as CompreFace.
    expect((await subjectsLeft()).length).toBeGreaterThan(0);
  });
});
