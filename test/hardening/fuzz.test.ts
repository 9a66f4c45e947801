// HTTP fuzz (issue 19.4): a seeded, bounded walk of every route of the OpenAPI document (the sync routes included)
// through the real HTTP server on a loopback port, with a keep-alive client and a valid key.
// Mutated images (truncated, bits flipped, wrong magic, huge dimension headers), multipart bodies (no or wrong
// boundary, duplicate or misnamed fields), JSON bodies and every query and path parameter. Asserts no answer
// >= 500, no reset connection, CompreFace's `{message, code}` on refusals, and a server that still works after.
import { once } from 'node:events';
import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/src/app.js';
import { loadConfig } from '../../server/src/config.js';
import { openDatabase, type Db } from '../../server/src/db/open.js';
import { createLogger } from '../../server/src/http/logger.js';
import { decodeImage } from '../../server/src/image/decode.js';
import { testEngine } from '../storage/test-engine.js';
import { openapiDocument } from '../../server/src/openapi/document.js';
import { createAdminServices, type AdminServices } from '../../server/src/services/admin/index.js';
import { createFaceServices, type FaceServicesRuntime } from '../../server/src/services/face-services.js';
import { createSyncService } from '../../server/src/services/sync.js';
import type { ServiceType } from '../../server/src/services/types.js';
import { base64, format } from '../api/harness.js';
import {
  multipart,
  mutateImage,
  mutateJson,
  mutateMultipart,
  oddValue,
  seeded,
  type Rand,
} from './mutate.js';

const SEED = 19_004;
/** Requests per operation, plus this many per query parameter it reads. */
const PER_OP = 24;
const PER_PARAM = 14;

interface Op {
  method: string;
  /** OpenAPI form: `/api/v1/recognition/faces/{image_id}`. */
  path: string;
  query: string[];
  pathParams: string[];
  body?: 'image' | 'json';
  /** The image fields of an image body. */
  imageFields: string[];
}

type Doc = { paths: Record<string, Record<string, Record<string, unknown>>> } & Record<string, unknown>;
/** The app's document (generated from its contracts), set once the app is built. */
let doc: Doc;
const resolve = (o: unknown): Record<string, unknown> => {
  const ref = (o as { $ref?: string }).$ref;
  if (!ref) return o as Record<string, unknown>;
  return ref
    .split('/')
    .slice(1)
    .reduce<Record<string, unknown>>((at, k) => at[k] as Record<string, unknown>, doc);
};

/** Every operation of the OpenAPI document, with its query and path parameters and body kind. */
function documentedOps(): Op[] {
  const ops: Op[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const params = ((op.parameters ?? []) as unknown[]).map(resolve) as { name: string; in: string }[];
      const body = op.requestBody ? resolve(op.requestBody) : undefined;
      const content = (body?.content ?? {}) as Record<string, { schema?: { properties?: object } }>;
      const multipart = content['multipart/form-data'];
      ops.push({
        method: method.toUpperCase(),
        path,
        query: params.filter((p) => p.in === 'query').map((p) => p.name),
        pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
        body: multipart ? 'image' : body ? 'json' : undefined,
        imageFields: Object.keys(multipart?.schema?.properties ?? {}),
      });
    }
  }
  return ops;
}

/** Sensible values, so a request with one odd parameter gets past the others to deeper code. */
const GOOD: Record<string, string[]> = {
  limit: ['0', '1', '3'],
  det_prob_threshold: ['0.5', '0.8', '0'],
  face_plugins: ['age,gender', 'landmarks', 'calculator,mask,pose', ''],
  status: ['true', 'false'],
  detect_faces: ['true', 'false'],
  detect_mode: ['fast', 'accurate', 'crowd'],
  prediction_count: ['1', '5'],
  min_similarity: ['0.5', '0'],
  subject: ['Walker', 'Other'],
  page: ['0', '1'],
  size: ['1', '20'],
  days: ['1', '30'],
  cursor: ['0', '5'],
};

const FIXTURES = [
  'einstein.jpeg',
  'einstein.png',
  'einstein.bmp',
  'einstein.gif',
  'einstein.ico',
  'einstein.webp',
];
const BROKEN = ['corrupted.png', 'truncated.jpg', 'empty.png', 'einstein.tiff'];
/** Operations that end the fuzzer's own session or account: their path parameters get odd values only. */
const DESTRUCTIVE = (op: Op) =>
  op.path.startsWith('/admin') && (op.method === 'DELETE' || /password/.test(op.path));

/** Whether `text` is CompreFace's error body `{message, code}`. */
function isError(text: string): boolean {
  try {
    const b = JSON.parse(text) as { message?: unknown; code?: unknown };
    return typeof b.message === 'string' && typeof b.code === 'number';
  } catch {
    return false;
  }
}

interface Answer {
  status: number;
  text: string;
}

describe('HTTP fuzz: no input gives a 5xx or a reset connection [pglite]', () => {
  const quiet = createLogger('error', () => {});
  let dataDir = '';
  let db: Db;
  let services: FaceServicesRuntime;
  let admin: AdminServices;
  let server: ServerType;
  let app: ReturnType<typeof createApp>;
  let port = 0;
  let agent: http.Agent;
  const keys = {} as Record<ServiceType, string>;
  const ids: Record<string, string> = {};
  let userId = '';
  let cookie = '';
  const images = [...FIXTURES, ...BROKEN].map((n) => ({ name: n, bytes: format(n) }));

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'visor-fuzz-'));
    // REFUSAL_DELAY off: four workers with one key, mostly refused, are what the tarpit holds back for seconds.
    const config = loadConfig({
      VISOR_DATA_DIR: dataDir,
      LOG_LEVEL: 'error',
      SAVE_IMAGES_TO_DB: 'false',
      REFUSAL_DELAY: '0',
    });
    db = await openDatabase({ databaseUrl: undefined, dataDir });
    const engine = await testEngine();
    services = await createFaceServices({ config, db, engine, decode: decodeImage });
    admin = createAdminServices({ config, db, logger: quiet });
    for (const type of ['recognition', 'detection', 'verification'] as const) {
      keys[type] = (await services.createService({ type, name: `fuzz-${type}` })).apiKey;
    }
    app = createApp({
      config,
      services,
      logger: quiet,
      sync: createSyncService({ db, engine, collections: services.collections }),
      admin: { services: admin },
    });
    doc = openapiDocument(app) as unknown as Doc;
    port = await new Promise<number>((ok) => {
      server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) =>
        ok(info.port),
      );
    });
    // Idle keep-alive sockets stay open for the whole run: a closed socket then means the server closed it.
    (server as http.Server).keepAliveTimeout = 120_000;
    agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

    const { user } = await admin.accounts.createAccount(
      { email: 'fuzzer@example.com', password: 'password-123' },
      { confirmed: true },
    );
    userId = user.id;
    cookie = `visor_session=${await admin.accounts.openSession(user.id)}`;
    const other = await admin.accounts.createAccount(
      { email: 'other@example.com', password: 'password-123' },
      { confirmed: true },
    );
    ids.appId = (await admin.applications.create(user, 'Fuzz app')).id;
    ids.serviceId = (
      await admin.services.create(user, ids.appId, { name: 'Fuzz svc', type: 'recognition' })
    ).id;
    ids.id = other.user.id;
    ids.userId = other.user.id;
    ids.subject = 'Walker';
    ids.api_key = keys.recognition;
    const enrolled = await send('POST', '/api/v1/recognition/faces?subject=Walker', {
      headers: multipartHeaders(keys.recognition),
      body: multipartBody,
    });
    expect(enrolled.status, enrolled.text).toBe(201);
    ids.image_id = (JSON.parse(enrolled.text) as { image_id: string }).image_id;
  });

  afterAll(async () => {
    agent?.destroy();
    if (server) {
      (server as http.Server).closeAllConnections();
      await new Promise((ok) => server.close(ok));
    }
    await admin?.close();
    await services?.close();
    await db?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const valid = multipart([{ name: 'file', filename: 'e.jpeg', data: format('einstein.jpeg') }]);
  const multipartBody = valid.body;
  const multipartHeaders = (key: string) => ({ 'x-api-key': key, 'content-type': valid.type });

  /** One request on the keep-alive agent; a socket error rejects (reset, hang-up). */
  async function send(
    method: string,
    path: string,
    opts: { headers?: Record<string, string>; body?: Uint8Array | string } = {},
  ): Promise<Answer> {
    const body = opts.body === undefined ? undefined : Buffer.from(opts.body);
    const req = http.request({
      agent,
      host: '127.0.0.1',
      port,
      method,
      path,
      headers: { ...opts.headers, ...(body ? { 'content-length': String(body.length) } : {}) },
    });
    req.end(body);
    const [res] = (await once(req, 'response')) as [http.IncomingMessage];
    let text = '';
    for await (const chunk of res) text += String(chunk);
    return { status: res.statusCode ?? 0, text };
  }

  const keyFor = (path: string): string | undefined => {
    if (path.includes('/detection/')) return keys.detection;
    if (path.includes('/verification/')) return keys.verification;
    if (path.startsWith('/api/v1/recognition/')) return keys.recognition;
    return undefined;
  };

  /** One random request for `op`: odd or good parameters, path values and body. */
  function request(r: Rand, op: Op, oddParam?: string) {
    const how: string[] = [];
    let path = op.path;
    for (const p of op.pathParams) {
      const odd = DESTRUCTIVE(op) || r.chance(0.3);
      path = path.replace(`{${p}}`, odd ? oddValue(r) : encodeURIComponent(ids[p] ?? 'x'));
    }
    const query: string[] = [];
    for (const q of op.query) {
      if (q === oddParam) query.push(`${q}=${oddValue(r)}`);
      else if (r.chance(0.5)) query.push(`${q}=${r.chance(0.85) ? r.pick(GOOD[q] ?? ['1']) : oddValue(r)}`);
    }
    if (r.chance(0.1)) query.push(`${r.pick([...op.query, 'unknown'])}=${oddValue(r)}`);
    const url = `${path}${query.length ? `?${query.join('&')}` : ''}`;
    const headers: Record<string, string> = {};
    const key = keyFor(op.path);
    if (key)
      headers['x-api-key'] = r.chance(0.95) ? key : r.pick(['', 'not-a-key', keys.detection, '\u00e9']);
    if (op.path.startsWith('/admin')) {
      headers.cookie = cookie;
      if (r.chance(0.95)) headers['x-requested-with'] = 'fuzz';
    }
    const image = () => {
      const src = r.pick(images);
      const m = mutateImage(r, src.bytes);
      how.push(`${src.name} ${m.how}`);
      return m.bytes;
    };
    let body: Uint8Array | string | undefined;
    if (op.body === 'image' && r.chance(0.75)) {
      const m = mutateMultipart(r, op.imageFields, image);
      body = m.body;
      headers['content-type'] = m.type;
      how.push(m.how);
    } else if (op.body) {
      const m = mutateJson(r, () => (r.chance(0.3) ? 'data:image/png;base64,' : '') + base64(image()));
      body = m.body;
      headers['content-type'] = r.chance(0.9) ? 'application/json' : 'text/plain';
      how.push(m.how);
    }
    return { url, headers, body, label: `${op.method} ${url.slice(0, 200)} [${how.join('; ')}]` };
  }

  it('walks every route of the document and the app with a valid key: 0 answers >= 500, 0 resets', async () => {
    const ops = documentedOps();
    // The walk covers the app's own route table: a new route without a document entry fails here.
    const walked = new Set(ops.map((o) => `${o.method} ${o.path.replace(/\{[^}]+\}/g, ':')}`));
    const served = app.routes
      .filter(
        (x) => ['GET', 'POST', 'PUT', 'DELETE'].includes(x.method) && /^\/(api\/v1|admin)\//.test(x.path),
      )
      .map((x) => `${x.method} ${x.path.replace(/:[^/]+/g, ':')}`);
    expect(served.filter((x) => !walked.has(x))).toEqual([]);
    expect(walked.size).toBeGreaterThan(50);

    const r = seeded(SEED);
    const plan: { op: Op; odd?: string }[] = [];
    for (const op of ops) {
      for (let i = 0; i < PER_OP; i++) plan.push({ op });
      for (const q of op.query) for (let i = 0; i < PER_PARAM; i++) plan.push({ op, odd: q });
    }
    const requests = plan.map(({ op, odd }) => ({ op, ...request(r, op, odd) }));
    for (let i = requests.length - 1; i > 0; i--) {
      const j = r.int(i + 1);
      [requests[i], requests[j]] = [requests[j], requests[i]];
    }

    const failures: string[] = [];
    const resets: string[] = [];
    const statuses = new Map<number, number>();
    let next = 0;
    const worker = async () => {
      while (next < requests.length) {
        const q = requests[next++];
        try {
          if (q.op.path.startsWith('/admin')) q.headers.cookie = cookie;
          const a = await send(q.op.method, q.url, { headers: q.headers, body: q.body });
          statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
          if (a.status >= 500) failures.push(`${a.status} ${q.label}: ${a.text.slice(0, 200)}`);
          // 431: Node's HTTP parser refuses a request line and headers over 16 KB before the app sees them.
          else if (a.status >= 400 && ![404, 405, 431].includes(a.status) && !isError(a.text)) {
            failures.push(`${a.status} without {message, code}: ${q.label}: ${a.text.slice(0, 200)}`);
          }
          // The fuzzer's own session ended (log-out among the operations): open a new one.
          if (a.status === 401 && q.op.path.startsWith('/admin')) {
            cookie = `visor_session=${await admin.accounts.openSession(userId)}`;
          }
        } catch (e) {
          resets.push(`${q.label}: ${String(e)}`);
        }
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);

    console.log(
      `fuzz: ${requests.length} requests`,
      Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])),
    );
    expect(failures.slice(0, 30), `${failures.length} bad answers`).toEqual([]);
    expect(resets.slice(0, 30), `${resets.length} reset connections`).toEqual([]);
    expect(requests.length).toBeGreaterThanOrEqual(2000);
    // The walk reached past validation: some answers succeeded, some were refused.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(100);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(500);

    // The server still answers: health, and a real recognition on a fresh connection.
    expect((await send('GET', '/api/health')).status).toBe(200);
    const ok = await send('POST', '/api/v1/recognition/recognize', {
      headers: multipartHeaders(keys.recognition),
      body: multipartBody,
    });
    expect(ok.status, ok.text).toBe(200);
  });
});
