// Recognition, detection, two-image verification and the embedding endpoints, on real photos with the real engine.
import { expect, it } from 'vitest';
import { base64, client, describeApi, format, read, sample } from './harness.js';

interface Box {
  probability: number;
  x_min: number;
  y_min: number;
  x_max: number;
  y_max: number;
}
interface Face {
  box: Box;
  landmarks?: number[][];
  age?: { low: number; high: number; probability: number };
  gender?: { value: string; probability: number };
  embedding?: number[];
  mask?: { value: string; probability: number };
  execution_time?: Record<string, number>;
}
interface Recognized extends Face {
  subjects: { subject: string; similarity: number }[];
}
type Result<T> = { result: T[]; plugins_versions?: Record<string, string> };

const RECOGNIZE = '/api/v1/recognition/recognize';
const DETECT = '/api/v1/detection/detect';
const VERIFY = '/api/v1/verification/verify';
const file = (name: string): [Uint8Array, string] => [sample(name), name];

describeApi('recognize, detect, verify, embeddings', (ctx) => {
  const rec = () => client(ctx().app, ctx().keys.recognition);
  const det = () => client(ctx().app, ctx().keys.detection);
  const ver = () => client(ctx().app, ctx().keys.verification);
  const ids: Record<string, string> = {};

  it('builds a collection: A from two photos, B from one', async () => {
    for (const [subject, name] of [
      ['A', '004_A.jpg'],
      ['A', '005_A.jpg'],
      ['B', '007_B.jpg'],
    ]) {
      const r = await read<{ image_id: string }>(
        rec().multipart(`/api/v1/recognition/faces?subject=${subject}`, { file: file(name) }),
      );
      expect(r.status).toBe(201);
      ids[name] = r.body.image_id;
    }
  });

  it('recognizes a new photo of A and of B, each subject listed once', async () => {
    const a = await read<Result<Recognized>>(rec().multipart(RECOGNIZE, { file: file('006_A.jpg') }));
    expect(a.status).toBe(200);
    expect(a.body.result).toHaveLength(1);
    expect(a.body.result[0].subjects).toHaveLength(1);
    expect(a.body.result[0].subjects[0].subject).toBe('A');
    expect(a.body.result[0].subjects[0].similarity).toBeGreaterThan(0.5);
    expect(a.body.result[0].box.x_max).toBeGreaterThan(a.body.result[0].box.x_min);
    // status defaults to false: no timings, no versions.
    expect(a.body.plugins_versions).toBeUndefined();
    expect(a.body.result[0].execution_time).toBeUndefined();

    const b = await read<Result<Recognized>>(
      rec().json('POST', RECOGNIZE, { file: base64(sample('008_B.jpg')) }),
    );
    expect(b.status).toBe(200);
    expect(b.body.result[0].subjects[0].subject).toBe('B');

    const two = await read<Result<Recognized>>(
      rec().multipart(`${RECOGNIZE}?prediction_count=5`, { file: file('006_A.jpg') }),
    );
    const subjects = two.body.result[0].subjects;
    expect(subjects.map((s) => s.subject)).toEqual(['A', 'B']);
    expect(subjects[0].similarity).toBeGreaterThan(subjects[1].similarity);
  });

  it('applies min_similarity: a stranger matches nobody above it, while CompreFace mode returns the nearest', async () => {
    const nearest = await read<Result<Recognized>>(rec().multipart(RECOGNIZE, { file: file('009_C.jpg') }));
    expect(nearest.body.result[0].subjects).toHaveLength(1);
    const strict = await read<Result<Recognized>>(
      rec().multipart(`${RECOGNIZE}?min_similarity=0.5`, { file: file('009_C.jpg') }),
    );
    expect(strict.status).toBe(200);
    expect(strict.body.result[0].subjects).toEqual([]);
    expect(
      await read(rec().multipart(`${RECOGNIZE}?min_similarity=2`, { file: file('009_C.jpg') })),
    ).toMatchObject({
      status: 400,
      body: { code: 26 },
    });
  });

  it('validates prediction_count, limit, det_prob_threshold, status and detect_faces', async () => {
    for (const q of [
      'prediction_count=0',
      'prediction_count=-1',
      'prediction_count=abc',
      'limit=-1',
      'det_prob_threshold=1.1',
      'status=maybe',
      'detect_faces=2',
    ]) {
      expect(await read(rec().multipart(`${RECOGNIZE}?${q}`, { file: file('009_C.jpg') })), q).toMatchObject({
        status: 400,
        body: { code: 26 },
      });
    }
  });

  it('recognizes every face of a group photo, biggest first with limit', async () => {
    const all = await read<Result<Recognized>>(rec().multipart(RECOGNIZE, { file: file('000_5.jpg') }));
    expect(all.body.result).toHaveLength(5);
    const one = await read<Result<Recognized>>(
      rec().multipart(`${RECOGNIZE}?limit=1`, { file: file('000_5.jpg') }),
    );
    expect(one.body.result).toHaveLength(1);
    const area = (b: Box) => (b.x_max - b.x_min) * (b.y_max - b.y_min);
    expect(area(one.body.result[0].box)).toBe(Math.max(...all.body.result.map((f) => area(f.box))));
  });

  it('adds plugins and system information on request', async () => {
    const r = await read<Result<Recognized>>(
      rec().multipart(`${RECOGNIZE}?face_plugins=age,gender,landmarks,calculator&status=true`, {
        file: file('006_A.jpg'),
      }),
    );
    expect(r.status).toBe(200);
    const face = r.body.result[0];
    expect(face.landmarks).toHaveLength(5);
    expect(face.age).toMatchObject({ low: expect.any(Number), high: expect.any(Number) });
    expect(['male', 'female']).toContain(face.gender?.value);
    expect(face.embedding?.length).toBeGreaterThan(0);
    expect(face.execution_time).toHaveProperty('detector');
    expect(r.body.plugins_versions).toHaveProperty('detector');
    expect(r.body.plugins_versions).toHaveProperty('calculator');
  });

  it('ignores unknown plugins and answers mask,gender,age with all three, as CompreFace', async () => {
    // CompreFace: embedding-calculator/src/services/facescan/plugins/managers.py (filter_face_plugins keeps the
    // plugins asked for by slug; other names select nothing) and .../insightface/facemask/facemask.py (LABELS).
    const r = await read<Result<Recognized>>(
      rec().multipart(`${RECOGNIZE}?face_plugins=foo,landmarks`, { file: file('009_C.jpg') }),
    );
    expect(r.status).toBe(200);
    expect(r.body.result[0].landmarks).toHaveLength(5);
    expect(r.body.result[0]).not.toHaveProperty('foo');
    for (const [route, client] of [
      [RECOGNIZE, rec],
      [DETECT, det],
    ] as const) {
      const m = await read<Result<Face>>(
        client().multipart(`${route}?face_plugins=mask,gender,age,nope&status=true`, {
          file: file('009_C.jpg'),
        }),
      );
      expect(m.status, route).toBe(200);
      const face = m.body.result[0];
      expect(face.mask, route).toEqual({ value: 'without_mask', probability: expect.any(Number) });
      expect(face.mask!.probability).toBeGreaterThan(0.5);
      expect(face.mask!.probability).toBeLessThanOrEqual(1);
      expect(face.gender?.value, route).toBe('male');
      expect(face.age, route).toMatchObject({ low: expect.any(Number), high: expect.any(Number) });
      expect(face.execution_time).toHaveProperty('mask');
      expect(m.body.plugins_versions).toHaveProperty('mask');
      expect(m.body.plugins_versions).not.toHaveProperty('nope');
    }
  });

  it('treats the whole image as one face with detect_faces=false', async () => {
    const r = await read<Result<Recognized>>(
      rec().multipart(`${RECOGNIZE}?detect_faces=false`, { file: file('009_C.jpg') }),
    );
    expect(r.status).toBe(200);
    expect(r.body.result).toHaveLength(1);
    expect(r.body.result[0].box).toMatchObject({ x_min: 0, y_min: 0 });
  });

  it('answers 28 when recognizing an image without a face, 21 for a broken one', async () => {
    expect(await read(rec().multipart(RECOGNIZE, { file: file('017_0.jpg') }))).toEqual({
      status: 400,
      body: { message: 'No face is found in the given image', code: 28 },
    });
    expect(
      await read(rec().multipart(RECOGNIZE, { file: [format('truncated.jpg'), 'truncated.jpg'] })),
    ).toMatchObject({
      status: 400,
      body: { code: 21 },
    });
  });

  it('detects five faces, none in an empty scene, with age, gender and landmarks', async () => {
    const five = await read<Result<Face>>(
      det().multipart(`${DETECT}?face_plugins=age,gender,landmarks`, { file: file('000_5.jpg') }),
    );
    expect(five.status).toBe(200);
    expect(five.body.result).toHaveLength(5);
    for (const f of five.body.result) {
      expect(f.landmarks).toHaveLength(5);
      expect(f.age).toBeDefined();
      expect(f.gender).toBeDefined();
    }
    // No face is 400/28 on detection too (CompreFace's detector raises NoFaceFoundError).
    expect(await read(det().multipart(DETECT, { file: file('017_0.jpg') }))).toEqual({
      status: 400,
      body: { message: 'No face is found in the given image', code: 28 },
    });
    const b64 = await read<Result<Face>>(
      det().json('POST', `${DETECT}?status=true`, { file: base64(sample('009_C.jpg')) }),
    );
    expect(b64.body.result).toHaveLength(1);
    expect(b64.body.plugins_versions).toHaveProperty('detector');
  });

  it('detects the face in every supported format and refuses broken files with 21', async () => {
    for (const ext of ['bmp', 'gif', 'ico', 'jpeg', 'png', 'tiff', 'webp']) {
      const name = `einstein.${ext}`;
      const r = await read<Result<Face>>(det().multipart(DETECT, { file: [format(name), name] }));
      expect(r.status, name).toBe(200);
      expect(r.body.result, name).toHaveLength(1);
    }
    for (const name of ['corrupted.png', 'empty.png', 'truncated.jpg']) {
      const r = await read<{ code: number; message: string }>(
        det().multipart(DETECT, { file: [format(name), name] }),
      );
      expect(r.status, name).toBe(400);
      expect(r.body.code, name).toBe(21);
    }
  });

  it('verifies two images, multipart and Base64', async () => {
    type V = Result<{ source_image_face: Face; face_matches: (Face & { similarity: number })[] }>;
    const same = await read<V>(
      ver().multipart(VERIFY, { source_image: file('004_A.jpg'), target_image: file('006_A.jpg') }),
    );
    expect(same.status).toBe(200);
    expect(same.body.result).toHaveLength(1);
    expect(same.body.result[0].source_image_face.box).toBeDefined();
    expect(same.body.result[0].face_matches).toHaveLength(1);
    const other = await read<V>(
      ver().json('POST', VERIFY, {
        source_image: base64(sample('004_A.jpg')),
        target_image: base64(sample('008_B.jpg')),
      }),
    );
    expect(other.status).toBe(200);
    expect(same.body.result[0].face_matches[0].similarity).toBeGreaterThan(0.5);
    expect(other.body.result[0].face_matches[0].similarity).toBeLessThan(0.5);
    const group = await read<V>(
      ver().multipart(VERIFY, { source_image: file('009_C.jpg'), target_image: file('000_5.jpg') }),
    );
    const sims = group.body.result[0].face_matches.map((m) => m.similarity);
    expect(sims).toHaveLength(5);
    expect(sims).toEqual([...sims].sort((x, y) => y - x));
  });

  it('refuses a source image with no face (28) or several (31), and a missing part (34)', async () => {
    expect(
      await read(
        ver().multipart(VERIFY, { source_image: file('017_0.jpg'), target_image: file('009_C.jpg') }),
      ),
    ).toMatchObject({
      status: 400,
      body: { code: 28 },
    });
    expect(
      await read(
        ver().multipart(VERIFY, { source_image: file('000_5.jpg'), target_image: file('009_C.jpg') }),
      ),
    ).toEqual({
      status: 400,
      body: { message: 'More than one face in the source image', code: 31 },
    });
    expect(await read(ver().multipart(VERIFY, { source_image: file('009_C.jpg') }))).toEqual({
      status: 400,
      body: { message: 'Required part target_image is missing', code: 34 },
    });
    expect(await read(ver().json('POST', VERIFY, { target_image: base64(sample('009_C.jpg')) }))).toEqual({
      status: 400,
      body: { message: 'Field source_image cannot be empty', code: 5 },
    });
  });

  it('recognizes and verifies embeddings', async () => {
    const calc = async (name: string) => {
      const r = await read<Result<Face>>(
        det().multipart(`${DETECT}?face_plugins=calculator`, { file: file(name) }),
      );
      return r.body.result[0].embedding!;
    };
    const a = await calc('006_A.jpg');
    const b = await calc('008_B.jpg');
    const recognized = await read<{
      result: { embedding: number[]; similarities: { subject: string; similarity: number }[] }[];
    }>(
      rec().json('POST', '/api/v1/recognition/embeddings/recognize?prediction_count=2', {
        embeddings: [a, b],
      }),
    );
    expect(recognized.status).toBe(200);
    expect(recognized.body.result.map((r) => r.similarities[0].subject)).toEqual(['A', 'B']);
    expect(recognized.body.result[0].similarities).toHaveLength(2);

    const vsExample = await read<{ result: { embedding: number[]; similarity: number }[] }>(
      rec().json('POST', `/api/v1/recognition/embeddings/faces/${ids['004_A.jpg']}/verify`, {
        embeddings: [b, a],
      }),
    );
    expect(vsExample.status).toBe(200);
    // Sorted by similarity: A's embedding first although it was sent second.
    expect(vsExample.body.result.map((r) => r.embedding)).toEqual([a, b]);
    expect(vsExample.body.result[0].similarity).toBeGreaterThan(vsExample.body.result[1].similarity);

    const pair = await read<{ result: { similarity: number }[] }>(
      ver().json('POST', '/api/v1/verification/embeddings/verify', { source: a, targets: [b, a] }),
    );
    expect(pair.status).toBe(200);
    expect(pair.body.result).toHaveLength(2);
    expect(pair.body.result[0].similarity).toBeGreaterThan(0.99);

    expect(
      await read(
        rec().json('POST', '/api/v1/recognition/embeddings/recognize', { embeddings: [[0.1, 0.2]] }),
      ),
    ).toMatchObject({
      status: 400,
      body: { code: 37 },
    });
    expect(
      await read(rec().json('POST', '/api/v1/recognition/embeddings/recognize', { embeddings: 'x' })),
    ).toMatchObject({
      status: 400,
      body: { code: 26 },
    });
    expect(await read(ver().json('POST', '/api/v1/verification/embeddings/verify', { source: a }))).toEqual({
      status: 400,
      body: { message: 'Field targets cannot be empty', code: 5 },
    });
    // Any dimension, as CompreFace: the similarity comes from the vectors given; the targets must match the source.
    const short = await read<{ result: { similarity: number }[] }>(
      ver().json('POST', '/api/v1/verification/embeddings/verify', {
        source: [1, 0, 0],
        targets: [
          [0, 1, 0],
          [1, 0.01, 0],
        ],
      }),
    );
    expect(short.status).toBe(200);
    expect(short.body.result).toHaveLength(2);
    expect(short.body.result[0].similarity).toBeGreaterThan(short.body.result[1].similarity);
    expect(
      await read(
        ver().json('POST', '/api/v1/verification/embeddings/verify', {
          source: [1, 0, 0],
          targets: [[1, 0]],
        }),
      ),
    ).toMatchObject({ status: 400, body: { code: 37 } });
    expect(await read(rec().json('POST', '/api/v1/recognition/embeddings/recognize', {}))).toEqual({
      status: 400,
      body: { message: 'Field embeddings cannot be empty', code: 5 },
    });
  });
});
