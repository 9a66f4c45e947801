// The official CompreFace Python SDK (github exadel-inc/compreface-python-sdk, the newest version of every file,
// commit 8ca2b9c) replayed request for request against a real Visor server on a loopback port. The SDK cannot be
// installed here, so each of its requests is rebuilt as it goes on the wire: the URL as its clients concatenate it
// (`url + "?"`, then `"&" + key + "=" + str(value)` per option, so a leading `?&`, Python's str() of the values,
// face_plugins a raw comma list) and then requoted by requests (a space is %20, UTF-8 is percent-encoded); the
// headers requests adds (Host, User-Agent, Accept-Encoding, Accept, Connection, then the SDK's, then
// Content-Length and the Content-Type of `json=`); requests_toolbelt's MultipartEncoder body (a uuid4().hex
// boundary, each part with a Content-Disposition and no Content-Type, the file's basename or 'image.jpg' for
// bytes); json.dumps bodies (", " and ": " separators, non-ASCII as \uXXXX). The first test holds these bytes
// against what requests 2.34.2 sent to a socket. Every client calls requests.get/post/put/delete, not a Session:
// each call opens its own connection and closes it after the answer, so each replayed call does too.
// Each answer is read as the SDK does (`result.json()`, no status check but for verify_face_from_embeddings) and
// the fields its use cases and examples read are asserted.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { basename } from 'node:path';
import { gunzipSync, inflateSync } from 'node:zlib';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeApi, format, sample, SAMPLES } from './harness.js';

const REQUESTS_DEFAULTS: [string, string][] = [
  ['User-Agent', 'python-requests/2.34.2'],
  ['Accept-Encoding', 'gzip, deflate'],
  ['Accept', '*/*'],
  ['Connection', 'keep-alive'],
];

/** requests' requote_uri: characters outside its safe set are percent-encoded as UTF-8 (our inputs hold no %). */
const requote = (url: string) =>
  url.replace(/[^\w.~!#$%&'()*+,/:;=?@[\]-]/gu, (ch) =>
    [...Buffer.from(ch)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  );

/** Python's str() of an option value: True/False for a bool (numbers here print as Python prints them). */
const pyStr = (v: string | number | boolean) => (typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v));

/** Python's repr() of a float (what json.dumps writes): shortest digits, exponent below 1e-4 as `1e-05`. */
function pyFloat(x: number): string {
  const [digits, exp] = x.toExponential().split('e');
  const e = Number(exp);
  if (e < -4 || e >= 16) return `${digits}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  return String(x);
}

/** json.dumps with its defaults: ", " and ": " separators, ensure_ascii (numbers the server sent as integers stay so). */
function pyDumps(v: unknown): string {
  if (typeof v === 'string') {
    return JSON.stringify(v).replace(
      /[\u007f-\uffff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
  }
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : pyFloat(v);
  if (Array.isArray(v)) return `[${v.map(pyDumps).join(', ')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.entries(v)
      .map(([k, x]) => `${pyDumps(k)}: ${pyDumps(x)}`)
      .join(', ')}}`;
  }
  return JSON.stringify(v);
}

type Options = Record<string, string | number | boolean>;
/** The clients' query: `url + "?"` (or `?subject=`), then `&key=str(value)` for each option. */
const withOptions = (url: string, options: Options) =>
  url +
  Object.entries(options)
    .map(([k, v]) => `&${k}=${pyStr(v)}`)
    .join('');

/** compreface/common/multipart_constructor.py get_file: a path sends its basename, bytes send 'image.jpg'. */
const getFile = (image: string | Uint8Array): [string, Uint8Array] =>
  typeof image === 'string' ? [basename(image), sample(basename(image))] : ['image.jpg', image];

/** requests_toolbelt MultipartEncoder (multipart/encoder.py) over urllib3's RequestField.make_multipart. */
function multipartEncoder(
  fields: Record<string, [string, Uint8Array]>,
  boundary = randomUUID().replaceAll('-', ''),
) {
  const chunks: Buffer[] = [];
  for (const [name, [filename, bytes]] of Object.entries(fields)) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\n\r\n`,
      ),
    );
    chunks.push(Buffer.from(bytes), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { contentType: `multipart/form-data; boundary=${boundary}`, body: Buffer.concat(chunks) };
}

interface Sent {
  /** The SDK's own headers, after requests' defaults. */
  headers?: [string, string][];
  /** `data=`: the bytes as given (the SDK sets their Content-Type itself). */
  data?: Buffer | string;
  /** `json=`: dumped by requests, which adds Content-Type: application/json after Content-Length. */
  json?: unknown;
}

/** What a client call gives its caller: `result.json()` (with the status, which the SDK does not check). */
interface Answer<T = unknown> {
  status: number;
  json: T;
}

// The fields of the answers that the SDK's use cases and examples read.
interface Example {
  image_id: string;
  subject: string;
}
interface Match {
  subject: string;
  similarity: number;
}
interface Face {
  subjects: Match[];
  similarity: number;
  embedding: number[];
  landmarks?: number[][];
  age?: { low: number; high: number };
  gender?: { value: string };
  execution_time?: Record<string, number>;
}
interface Result<T> {
  result: T[];
  plugins_versions?: Record<string, string>;
}
interface FacesPage {
  faces: Example[];
  page_number: number;
  page_size: number;
  total_pages: number;
  total_elements: number;
}
type Verified = Result<{ source_image_face: Face; face_matches: Face[] }>;
type Similarities = Result<{ embedding: number[]; similarity: number; similarities: Match[] }>;

/**
 * requests.request(method, url, ...): a Session made for the call and closed after it (requests/api.py), so a
 * connection of its own, closed once the answer is read; `Connection: keep-alive` is sent all the same.
 */
async function pyRequest<T>(method: string, url: string, sent: Sent = {}): Promise<Answer<T>> {
  const { host, pathname, search } = new URL(requote(url));
  const body =
    sent.json !== undefined
      ? Buffer.from(pyDumps(sent.json))
      : sent.data === undefined
        ? undefined
        : Buffer.from(sent.data);
  const headers: [string, string][] = [['Host', host], ...REQUESTS_DEFAULTS, ...(sent.headers ?? [])];
  if (body) headers.push(['Content-Length', String(body.length)]);
  else if (method !== 'GET') headers.push(['Content-Length', '0']);
  if (sent.json !== undefined) headers.push(['Content-Type', 'application/json']);
  const [hostname, port] = host.split(':');
  const agent = new http.Agent({ keepAlive: true });
  try {
    return await new Promise<Answer<T>>((resolve, reject) => {
      const req = http.request(
        { hostname, port, method, path: pathname + search, headers: headers.flat(), agent, setHost: false },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            let raw = Buffer.concat(chunks);
            // requests decodes what it asked for with Accept-Encoding
            if (res.headers['content-encoding'] === 'gzip') raw = gunzipSync(raw);
            if (res.headers['content-encoding'] === 'deflate') raw = inflateSync(raw);
            resolve({ status: res.statusCode ?? 0, json: JSON.parse(raw.toString('utf8')) as T });
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  } finally {
    agent.destroy();
  }
}

const RECOGNITION = '/api/v1/recognition';

/** The SDK's clients (compreface/client/*.py), one function per request they send; `image` is a path or bytes. */
function pythonSdk(base: string, apiKey: string) {
  const key: [string, string] = ['x-api-key', apiKey];
  const json: [string, string][] = [['Content-Type', 'application/json'], key];
  const upload = <T>(url: string, fields: Record<string, [string, Uint8Array]>) => {
    const m = multipartEncoder(fields);
    return pyRequest<T>('POST', url, { data: m.body, headers: [['Content-Type', m.contentType], key] });
  };
  return {
    // client/recognize_face_from_image.py RecognizeFaceFromImageClient.post
    recognize: (image: string | Uint8Array, options: Options = {}) =>
      upload<Result<Face>>(withOptions(`${base}${RECOGNITION}/recognize?`, options), {
        file: getFile(image),
      }),
    // client/detect_face_from_image.py DetectFaceFromImageClient.post
    detect: (image: string | Uint8Array, options: Options = {}) =>
      upload<Result<Face>>(withOptions(`${base}/api/v1/detection/detect?`, options), {
        file: getFile(image),
      }),
    // client/verify_face_from_image.py VerifyFaceFromImageClient.post (multipart_constructor_with_two_images)
    verify: (source: string | Uint8Array, target: string | Uint8Array, options: Options = {}) =>
      upload<Verified>(withOptions(`${base}/api/v1/verification/verify?`, options), {
        source_image: getFile(source),
        target_image: getFile(target),
      }),
    // client/add_example_of_subject.py AddExampleOfSubjectClient.post
    addExample: (image: string | Uint8Array, subject: string, options: Options = {}) =>
      upload<Example>(withOptions(`${base}${RECOGNITION}/faces?subject=${subject}`, options), {
        file: getFile(image),
      }),
    // client/add_example_of_subject.py AddExampleOfSubjectClient.get (page, size, subject)
    listExamples: (options: Options = {}) =>
      pyRequest<FacesPage>('GET', withOptions(`${base}${RECOGNITION}/faces?`, options), { headers: [key] }),
    // client/add_example_of_subject.py AddExampleOfSubjectClient.delete
    deleteAllExamples: (subject: string) =>
      pyRequest<{ deleted: number }>('DELETE', `${base}${RECOGNITION}/faces?subject=${subject}`, {
        headers: [key],
      }),
    // client/delete_example_by_id.py DeleteExampleByIdClient.delete
    deleteExample: (imageId: string) =>
      pyRequest<Example>('DELETE', `${base}${RECOGNITION}/faces/${imageId}`, { headers: [key] }),
    // client/delete_example_by_id.py DeleteExampleByIdClient.post
    deleteExamples: (imageIds: string[]) =>
      pyRequest<Example[]>('POST', `${base}${RECOGNITION}/faces/delete`, { json: imageIds, headers: [key] }),
    // client/verification_face_from_image.py VerificationFaceFromImageClient.post
    verifyExample: (image: string | Uint8Array, imageId: string, options: Options = {}) =>
      upload<Result<Face>>(withOptions(`${base}${RECOGNITION}/faces/${imageId}/verify?`, options), {
        file: getFile(image),
      }),
    // client/recognize_face_from_embeddings.py RecognizeFaceFromEmbeddingClient.post
    recognizeEmbeddings: (embeddings: number[][], options: Options = {}) =>
      pyRequest<Similarities>('POST', withOptions(`${base}${RECOGNITION}/embeddings/recognize?`, options), {
        json: { embeddings },
        headers: [key],
      }),
    // client/verification_face_from_embeddings.py VerificationFaceFromEmbeddingClient.post
    verifyEmbeddingsAgainstExample: (embeddings: number[][], imageId: string) =>
      pyRequest<Similarities>('POST', `${base}${RECOGNITION}/embeddings/faces/${imageId}/verify`, {
        json: { embeddings },
        headers: [key],
      }),
    // client/verify_face_from_embeddings.py VerifyFaceFromEmbeddingClient.post (the one that raise_for_status())
    verifyEmbeddings: async (source: number[], targets: number[][]) => {
      const r = await pyRequest<Similarities>('POST', `${base}/api/v1/verification/embeddings/verify`, {
        json: { source, targets },
        headers: [key],
      });
      if (r.status >= 400) throw new Error(`HTTPError ${r.status}`);
      return r;
    },
    // client/subject_client.py SubjectClient: every request carries Content-Type: application/json, body or not
    subjects: {
      add: (subject: string) =>
        pyRequest<{ subject: string }>('POST', `${base}${RECOGNITION}/subjects`, {
          data: pyDumps({ subject }),
          headers: json,
        }),
      list: () =>
        pyRequest<{ subjects: string[] }>('GET', `${base}${RECOGNITION}/subjects`, { headers: json }),
      // use_cases/update_subject.py: asdict(Request(subject=new_name, api_endpoint=subject)) is the body
      update: (subject: string, newName: string) =>
        pyRequest<{ updated: boolean }>('PUT', `${base}${RECOGNITION}/subjects/${subject}`, {
          data: pyDumps({ subject: newName, api_endpoint: subject }),
          headers: json,
        }),
      delete: (subject: string) =>
        pyRequest<{ subject: string }>('DELETE', `${base}${RECOGNITION}/subjects/${subject}`, {
          headers: json,
        }),
      deleteAll: () =>
        pyRequest<{ deleted: number }>('DELETE', `${base}${RECOGNITION}/subjects`, { headers: json }),
    },
  };
}

/** A fixture as the SDK's user names it: a path relative to the working directory (get_file sends its basename). */
const path = (name: string) => `${SAMPLES}/${name}`;

it('sends the bytes requests 2.34.2 and requests_toolbelt send', async () => {
  // What requests 2.34.2 sent to a socket for the same two calls (a file-like body of known length, a json= body).
  const got: string[] = [];
  const capture = net.createServer((socket) => {
    let data = '';
    socket.on('data', (d: Buffer) => {
      data += d.toString('latin1');
      const end = data.indexOf('\r\n\r\n');
      const length = Number(/\r\nContent-Length: (\d+)/.exec(data)?.[1]);
      if (end >= 0 && data.length - end - 4 === length) {
        got.push(data);
        socket.end('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}');
      }
    });
  });
  await new Promise<void>((resolve) => capture.listen(0, '127.0.0.1', resolve));
  const at = `http://127.0.0.1:${(capture.address() as AddressInfo).port}`;
  try {
    const m = multipartEncoder({ file: ['a.jpg', new Uint8Array([0xff, 0xd8])] }, 'x');
    await pyRequest(
      'POST',
      withOptions(`${at}/api/v1/recognition/faces?subject=José Ñ`, { det_prob_threshold: 0.8 }),
      {
        data: m.body,
        headers: [
          ['Content-Type', m.contentType],
          ['x-api-key', 'K'],
        ],
      },
    );
    await pyRequest(
      'POST',
      withOptions(`${at}/api/v1/recognition/embeddings/recognize?`, { prediction_count: 1 }),
      {
        json: { embeddings: [[0.5, 1e-5, -0.25]] },
        headers: [['x-api-key', 'K']],
      },
    );
  } finally {
    await new Promise((resolve) => capture.close(resolve));
  }
  const PORT = at.split(':')[2];
  expect(got.map((r) => r.replaceAll(PORT, 'PORT'))).toEqual([
    'POST /api/v1/recognition/faces?subject=Jos%C3%A9%20%C3%91&det_prob_threshold=0.8 HTTP/1.1\r\nHost: 127.0.0.1:PORT\r\nUser-Agent: python-requests/2.34.2\r\nAccept-Encoding: gzip, deflate\r\nAccept: */*\r\nConnection: keep-alive\r\nContent-Type: multipart/form-data; boundary=x\r\nx-api-key: K\r\nContent-Length: 81\r\n\r\n--x\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\n\r\n\xff\xd8\r\n--x--\r\n',
    'POST /api/v1/recognition/embeddings/recognize?&prediction_count=1 HTTP/1.1\r\nHost: 127.0.0.1:PORT\r\nUser-Agent: python-requests/2.34.2\r\nAccept-Encoding: gzip, deflate\r\nAccept: */*\r\nConnection: keep-alive\r\nx-api-key: K\r\nContent-Length: 37\r\nContent-Type: application/json\r\n\r\n{"embeddings": [[0.5, 1e-05, -0.25]]}',
  ]);
});

describeApi('official CompreFace Python SDK replay', (ctx) => {
  let server: ServerType;
  let base: string;

  beforeAll(async () => {
    const port = await new Promise<number>((resolve) => {
      server = serve({ fetch: ctx().app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) =>
        resolve(info.port),
      );
    });
    // CompreFace(DOMAIN, PORT): the clients join them as domain + ':' + port
    base = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    if ('closeAllConnections' in server) server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('recognition service: subjects, examples, recognize and verify, by image and by embedding', async () => {
    const sdk = pythonSdk(base, ctx().keys.recognition);
    const jose = 'José Ñ';

    // Subjects.add → {"subject": ...}; the body is json.dumps'd, so the name travels as \u00e9
    expect(await sdk.subjects.add(jose)).toEqual({ status: 201, json: { subject: jose } });

    // FaceCollection.add(path, subject, {"det_prob_threshold": 0.8}) and add(bytes, subject) ('image.jpg')
    const a = await sdk.addExample(path('004_A.jpg'), 'Py A', { det_prob_threshold: 0.8 });
    expect(a).toEqual({ status: 201, json: { image_id: expect.any(String), subject: 'Py A' } });
    const b = await sdk.addExample(sample('007_B.jpg'), jose);
    expect(b).toEqual({ status: 201, json: { image_id: expect.any(String), subject: jose } });
    const a2 = await sdk.addExample(path('006_A.jpg'), 'Py A');
    expect(a2.status).toBe(201);

    // FaceCollection.list() → GET /faces? ; list({"page", "size", "subject"}) → /faces?&page=0&size=1&subject=Py%20A
    const all = await sdk.listExamples();
    expect(all.status).toBe(200);
    expect(all.json.faces.map((f) => f.image_id).sort()).toEqual(
      [a.json.image_id, b.json.image_id, a2.json.image_id].sort(),
    );
    const page = await sdk.listExamples({ page: 0, size: 1, subject: 'Py A' });
    expect(page.json).toMatchObject({ page_number: 0, page_size: 1, total_elements: 2, total_pages: 2 });
    expect(page.json.faces).toHaveLength(1);
    expect(page.json.faces[0].subject).toBe('Py A');
    // Subjects.list() (a GET with Content-Type: application/json and no body)
    expect((await sdk.subjects.list()).json.subjects.sort()).toEqual(['José Ñ', 'Py A']);

    // recognize_image(path, AllOptionsDict) with a Python bool: &status=True, face_plugins as a raw comma list
    const recognized = await sdk.recognize(path('006_A.jpg'), {
      limit: 0,
      det_prob_threshold: 0.8,
      prediction_count: 2,
      face_plugins: 'calculator,age,gender',
      status: true,
    });
    expect(recognized.status).toBe(200);
    const [face] = recognized.json.result;
    expect(face.subjects.map((s) => s.subject)).toEqual(['Py A', jose]);
    expect(face.subjects[0].similarity).toBeGreaterThan(0.9);
    expect(face.age).toMatchObject({ low: expect.any(Number), high: expect.any(Number) });
    expect(['male', 'female']).toContain(face.gender?.value);
    expect(Object.keys(face.execution_time ?? {})).toEqual(
      expect.arrayContaining(['detector', 'calculator']),
    );
    expect(Object.keys(recognized.json.plugins_versions ?? {})).toEqual(
      expect.arrayContaining(['calculator']),
    );
    // the examples read result[-1].get("embedding")
    const { embedding } = face;
    expect(embedding.length).toBeGreaterThan(100);

    // recognize_image(bytes) with no options: POST /recognize? with a part named 'image.jpg'
    const fromBytes = await sdk.recognize(sample('008_B.jpg'));
    expect(fromBytes.status).toBe(200);
    expect(fromBytes.json.result[0].subjects[0].subject).toBe(jose);
    expect(fromBytes.json.result[0]).not.toHaveProperty('embedding');

    // recognize_embedding([embedding], {"prediction_count": 1}) → /embeddings/recognize?&prediction_count=1
    const byEmbedding = await sdk.recognizeEmbeddings([embedding], { prediction_count: 1 });
    expect(byEmbedding.status).toBe(200);
    expect(byEmbedding.json.result).toHaveLength(1);
    expect(byEmbedding.json.result[0].similarities).toEqual([
      { subject: 'Py A', similarity: expect.any(Number) },
    ]);
    expect(byEmbedding.json.result[0].similarities[0].similarity).toBeGreaterThan(0.9);

    // FaceCollection.verify_image(path, image_id, options), "status": "true" as the SDK's examples write it
    const verified = await sdk.verifyExample(path('006_A.jpg'), a.json.image_id, {
      limit: 0,
      det_prob_threshold: 0.8,
      face_plugins: 'landmarks',
      status: 'true',
    });
    expect(verified.status).toBe(200);
    expect(verified.json.result[0].similarity).toBeGreaterThan(0.5);
    expect(verified.json.result[0].landmarks).toHaveLength(5);
    // FaceCollection.verify_embeddings([embedding], image_id): the same face, the same similarity
    const againstExample = await sdk.verifyEmbeddingsAgainstExample([embedding], a.json.image_id);
    expect(againstExample.status).toBe(200);
    expect(againstExample.json.result[0].similarity).toBeCloseTo(verified.json.result[0].similarity, 3);

    // Errors come back as the dict, not raised: no face is CompreFace's 400 with code 28
    expect(await sdk.addExample(path('017_0.jpg'), 'Py A')).toEqual({
      status: 400,
      json: { message: 'No face is found in the given image', code: 28 },
    });

    // FaceCollection.delete(image_id), delete_multiple(image_ids) (a JSON array), delete_all(subject)
    expect(await sdk.deleteExample(b.json.image_id)).toEqual({ status: 200, json: b.json });
    expect(await sdk.deleteExample(b.json.image_id)).toMatchObject({ status: 404, json: { code: 44 } });
    const many = await sdk.deleteExamples([a2.json.image_id, randomUUID()]);
    expect(many).toEqual({ status: 200, json: [a2.json] });
    expect(await sdk.deleteAllExamples('Py A')).toEqual({ status: 200, json: { deleted: 1 } });

    // Subjects.update (PUT /subjects/Jos%C3%A9%20%C3%91 with {"subject", "api_endpoint"}), delete, delete_all
    expect(await sdk.subjects.update(jose, 'José 2')).toEqual({ status: 200, json: { updated: true } });
    expect(await sdk.subjects.add('Py C')).toEqual({ status: 201, json: { subject: 'Py C' } });
    expect(await sdk.subjects.delete('José 2')).toEqual({ status: 200, json: { subject: 'José 2' } });
    expect(await sdk.subjects.deleteAll()).toEqual({ status: 200, json: { deleted: 1 } });
    expect((await sdk.listExamples()).json.faces).toEqual([]);
  });

  it('detection service: detect with options', async () => {
    const sdk = pythonSdk(base, ctx().keys.detection);
    // DetectionService.detect(path, {"face_plugins": "landmarks"}) → /detect?&face_plugins=landmarks
    const r = await sdk.detect(path('000_5.jpg'), { face_plugins: 'landmarks' });
    expect(r.status).toBe(200);
    expect(r.json.result).toHaveLength(5);
    for (const face of r.json.result) expect(face.landmarks).toHaveLength(5);
    // no face: the dict with code 28
    expect(await sdk.detect(path('017_0.jpg'))).toMatchObject({ status: 400, json: { code: 28 } });
    // bytes always travel as 'image.jpg' (get_file), whatever they hold: here a PNG
    const png = await sdk.detect(format('einstein.png'));
    expect(png.status).toBe(200);
    expect(png.json.result).toHaveLength(1);
  });

  it('verification service: two images with the global options, then their embeddings', async () => {
    const sdk = pythonSdk(base, ctx().keys.verification);
    // CompreFace(DOMAIN, PORT, {"limit": 0, "det_prob_threshold": 0.8, "prediction_count": 1, "status": "true",
    // "face_plugins": "calculator"}).init_face_verification(key).verify_image(source, target): the global options
    // pass through pass_dict(options, ExpandedOptionsDict) (common/typed_dict.py), in its annotation order and
    // without prediction_count: /verify?&det_prob_threshold=0.8&limit=0&status=true&face_plugins=calculator
    const r = await sdk.verify(path('004_A.jpg'), path('006_A.jpg'), {
      det_prob_threshold: 0.8,
      limit: 0,
      status: 'true',
      face_plugins: 'calculator',
    });
    expect(r.status).toBe(200);
    const [{ source_image_face: source, face_matches: matches }] = r.json.result;
    expect(matches[0].similarity).toBeGreaterThan(0.5);
    expect(source.embedding.length).toBeGreaterThan(100);
    // VerificationService.verify_embedding(source, targets): the similarity of the same two faces
    const e = await sdk.verifyEmbeddings(source.embedding, [matches[0].embedding]);
    expect(e.json.result).toHaveLength(1);
    expect(e.json.result[0].similarity).toBeCloseTo(matches[0].similarity, 3);
  });
});
