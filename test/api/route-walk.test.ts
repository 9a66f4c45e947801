// Every route, walked with malformed query parameters and bodies (issue 13.4/13.6 and 19.4/19.5): no answer
// is ever a 5xx, every refusal is CompreFace's `{message, code}`, and the inputs that used to give a 500 (a NUL
// in any name, bad sync parameters) are 400 before any work. The full app: face services, sync and admin.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp } from '../../server/src/app.js';
import { createLogger } from '../../server/src/http/logger.js';
import { createAdminServices, type AdminServices } from '../../server/src/services/admin/index.js';
import { createSyncService } from '../../server/src/services/sync.js';
import { base64, describeApi, format, read } from './harness.js';

type App = ReturnType<typeof createApp>;
const quiet = createLogger('error', () => {});

/** Bad values for any parameter: not numbers, out of every range, overflowing, NUL, empty. */
const BAD = [
  'abc',
  '-1',
  '1.5',
  '1e400',
  'NaN',
  'Infinity',
  '99999999999999999999',
  '0x10',
  '%00',
  'a%00b',
  '',
];

interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  /** The query parameters this route reads. */
  params: string[];
  key?: 'recognition' | 'detection' | 'verification';
  /** How a valid request's body is sent: image parts, JSON, or nothing. */
  body?: 'file' | 'two' | 'json';
  admin?: boolean;
}

const IMAGE_PARAMS = ['limit', 'det_prob_threshold', 'face_plugins', 'status', 'detect_faces', 'detect_mode'];

describeApi('route walk: no input gives a 500', (ctx) => {
  let app: App;
  let admin: AdminServices;
  let cookie = '';
  let imageId = '';
  let appId = '';
  let serviceId = '';
  const small = format('einstein.jpeg');

  beforeAll(async () => {
    const { config, services, db, engine, keys } = ctx();
    admin = createAdminServices({ config, db, logger: quiet });
    app = createApp({
      config,
      services,
      logger: quiet,
      sync: createSyncService({ db, engine, collections: services.collections }),
      admin: { services: admin },
    });
    const { user } = await admin.accounts.createAccount(
      { email: `walker-${ctx().kind}@example.com`, password: 'password-123' },
      { confirmed: true },
    );
    cookie = `visor_session=${await admin.accounts.openSession(user.id)}`;
    const a = await admin.applications.create(user, 'Walk app');
    appId = a.id;
    serviceId = (await admin.services.create(user, appId, { name: 'Walk service', type: 'recognition' })).id;
    const form = new FormData();
    form.append('file', new File([small as Uint8Array<ArrayBuffer>], 'e.jpeg'));
    const added = await read<{ image_id: string }>(
      app.request('/api/v1/recognition/faces?subject=Walker', {
        method: 'POST',
        headers: { 'x-api-key': keys.recognition },
        body: form,
      }),
    );
    expect(added.status).toBe(201);
    imageId = added.body.image_id;
  });
  afterAll(async () => {
    await admin.close();
  });

  const routes = (): Route[] => [
    {
      method: 'POST',
      path: '/api/v1/recognition/recognize',
      key: 'recognition',
      body: 'file',
      params: [...IMAGE_PARAMS, 'prediction_count', 'min_similarity'],
    },
    {
      method: 'POST',
      path: '/api/v1/detection/detect',
      key: 'detection',
      body: 'file',
      params: IMAGE_PARAMS,
    },
    {
      method: 'POST',
      path: '/api/v1/verification/verify',
      key: 'verification',
      body: 'two',
      params: IMAGE_PARAMS,
    },
    {
      method: 'POST',
      path: `/api/v1/recognition/faces/${imageId}/verify`,
      key: 'recognition',
      body: 'file',
      params: IMAGE_PARAMS,
    },
    {
      method: 'POST',
      path: '/api/v1/recognition/faces',
      key: 'recognition',
      body: 'file',
      params: ['subject', 'det_prob_threshold'],
    },
    {
      method: 'POST',
      path: '/api/v1/recognition/faces/batch',
      key: 'recognition',
      body: 'file',
      params: ['subject', 'det_prob_threshold'],
    },
    {
      method: 'GET',
      path: '/api/v1/recognition/faces',
      key: 'recognition',
      params: ['page', 'size', 'subject'],
    },
    { method: 'DELETE', path: '/api/v1/recognition/faces', key: 'recognition', params: ['subject'] },
    {
      method: 'POST',
      path: '/api/v1/recognition/faces/delete',
      key: 'recognition',
      body: 'json',
      params: [],
    },
    { method: 'DELETE', path: '/api/v1/recognition/faces/not-an-id', key: 'recognition', params: [] },
    { method: 'GET', path: '/api/v1/recognition/faces/not-an-id/img', key: 'recognition', params: [] },
    { method: 'GET', path: '/api/v1/recognition/subjects', key: 'recognition', params: [] },
    { method: 'POST', path: '/api/v1/recognition/subjects', key: 'recognition', body: 'json', params: [] },
    {
      method: 'PUT',
      path: '/api/v1/recognition/subjects/Nobody',
      key: 'recognition',
      body: 'json',
      params: [],
    },
    { method: 'DELETE', path: '/api/v1/recognition/subjects/Nobody', key: 'recognition', params: [] },
    {
      method: 'POST',
      path: '/api/v1/recognition/embeddings/recognize',
      key: 'recognition',
      body: 'json',
      params: ['prediction_count', 'min_similarity'],
    },
    {
      method: 'POST',
      path: `/api/v1/recognition/embeddings/faces/${imageId}/verify`,
      key: 'recognition',
      body: 'json',
      params: [],
    },
    {
      method: 'POST',
      path: '/api/v1/verification/embeddings/verify',
      key: 'verification',
      body: 'json',
      params: [],
    },
    {
      method: 'POST',
      path: '/api/v1/verification/verify/batch',
      key: 'verification',
      body: 'json',
      params: ['det_prob_threshold'],
    },
    { method: 'GET', path: '/api/v1/recognition/sync/pull', key: 'recognition', params: ['cursor'] },
    {
      method: 'GET',
      path: '/api/v1/recognition/sync/events',
      key: 'recognition',
      params: ['limit', 'offset', 'subject', 'unknown', 'device', 'from', 'to'],
    },
    {
      method: 'GET',
      path: '/api/v1/recognition/sync/events.csv',
      key: 'recognition',
      params: ['subject', 'unknown', 'device', 'from', 'to'],
    },
    { method: 'POST', path: '/api/v1/recognition/sync/push', key: 'recognition', body: 'json', params: [] },
    { method: 'GET', path: '/api/v1/config', params: [] },
    { method: 'GET', path: '/api/v1/consistence/status', params: [] },
    { method: 'GET', path: `/api/v1/static/${ctx().keys.recognition}/images/${imageId}`, params: ['size'] },
    { method: 'POST', path: '/admin/signup', body: 'json', params: [], admin: true },
    { method: 'POST', path: '/admin/login', body: 'json', params: [], admin: true },
    { method: 'POST', path: '/admin/apps', body: 'json', params: [], admin: true },
    { method: 'PUT', path: `/admin/apps/${appId}`, body: 'json', params: [], admin: true },
    { method: 'POST', path: `/admin/apps/${appId}/members`, body: 'json', params: [], admin: true },
    { method: 'POST', path: `/admin/apps/${appId}/services`, body: 'json', params: [], admin: true },
    {
      method: 'PUT',
      path: `/admin/apps/${appId}/services/${serviceId}`,
      body: 'json',
      params: [],
      admin: true,
    },
    {
      method: 'GET',
      path: `/admin/apps/${appId}/services/${serviceId}/stats`,
      params: ['days'],
      admin: true,
    },
    { method: 'POST', path: '/admin/users', body: 'json', params: [], admin: true },
  ];

  async function send(route: Route, query: string, body?: BodyInit, contentType?: string): Promise<Response> {
    const headers: Record<string, string> = {};
    if (route.key) headers['x-api-key'] = ctx().keys[route.key];
    if (route.admin) {
      headers.cookie = cookie;
      headers['x-requested-with'] = 'route-walk';
    }
    if (contentType) headers['content-type'] = contentType;
    return app.request(`${route.path}${query}`, { method: route.method, headers, body });
  }

  /** A valid body for the route (the image parts, or a JSON body holding `json`). */
  function validBody(route: Route, json: unknown = {}): { body?: BodyInit; type?: string } {
    if (route.body === 'file' || route.body === 'two') {
      const form = new FormData();
      for (const name of route.body === 'file' ? ['file'] : ['source_image', 'target_image']) {
        form.append(name, new File([small as Uint8Array<ArrayBuffer>], 'e.jpeg'));
      }
      return { body: form };
    }
    if (route.body === 'json') return { body: JSON.stringify(json), type: 'application/json' };
    return {};
  }

  /** Fails the test on a 5xx or an error that is not `{message, code}`; returns the status. */
  async function check(label: string, res: Promise<Response>): Promise<number> {
    const r = await read<{ message?: unknown; code?: unknown }>(res);
    expect(r.status, `${label}: ${JSON.stringify(r.body)}`).toBeLessThan(500);
    if (r.status >= 400 && r.status !== 404) {
      expect(typeof r.body.message, label).toBe('string');
      expect(typeof r.body.code, label).toBe('number');
    }
    return r.status;
  }

  it('answers every malformed query parameter of every route without a 5xx', async () => {
    let requests = 0;
    for (const route of routes()) {
      for (const param of [...route.params, 'unknown_param']) {
        for (const value of BAD) {
          const { body, type } = validBody(route);
          const label = `${route.method} ${route.path}?${param}=${value}`;
          await check(label, send(route, `?${param}=${value}`, body, type));
          requests += 1;
        }
      }
    }
    expect(requests).toBeGreaterThan(300);
  });

  it('answers every malformed body of every route without a 5xx', async () => {
    const bodies: [string, BodyInit, string | undefined][] = [
      ['empty', '', 'application/json'],
      ['truncated JSON', '{"subject": ', 'application/json'],
      ['array', '[1, 2]', 'application/json'],
      ['null', 'null', 'application/json'],
      ['string', '"x"', 'application/json'],
      [
        'huge number',
        '{"subject": 1e400, "embeddings": [[1e400]], "source": [1e400], "targets": [[1]]}',
        'application/json',
      ],
      [
        'wrong types',
        '{"subject": [], "file": 42, "embeddings": "x", "source": {}, "targets": 7, "images": {}, "pairs": "x", "name": [], "email": {}, "days": "x"}',
        'application/json',
      ],
      [
        'NUL everywhere',
        JSON.stringify({
          subject: 'a\0b',
          name: 'n\0',
          email: 'x\0@example.com',
          password: 'p\0ssword-123',
          first_name: '\0',
          type: 'recognition',
          file: base64(small),
          embeddings: [[0.1]],
          source: [0.1],
          targets: [[0.1]],
        }),
        'application/json',
      ],
      ['multipart without boundary', 'garbage', 'multipart/form-data'],
      [
        'broken multipart',
        '--x\r\nContent-Disposition: form-data; name="file"\r\n\r\nabc',
        'multipart/form-data; boundary=x',
      ],
      ['text', 'hello', 'text/plain'],
    ];
    for (const route of routes()) {
      if (!route.body) continue;
      for (const [name, body, type] of bodies) {
        await check(`${route.method} ${route.path} with ${name}`, send(route, '', body, type));
      }
    }
  });

  it('refuses a NUL in any name with 400 before any work', async () => {
    const { keys, db } = ctx();
    const rec = { key: 'recognition' as const, params: [] };
    const nulPaths: [Route['method'], string, unknown?][] = [
      ['POST', '/api/v1/recognition/subjects', { subject: 'Bad\0Name' }],
      ['PUT', '/api/v1/recognition/subjects/Walker', { subject: 'Bad\0Name' }],
      ['PUT', '/api/v1/recognition/subjects/Bad%00Name', { subject: 'Fine' }],
      ['DELETE', '/api/v1/recognition/subjects/Bad%00Name'],
      ['GET', '/api/v1/recognition/faces?subject=Bad%00Name'],
      ['DELETE', '/api/v1/recognition/faces?subject=Bad%00Name'],
    ];
    for (const [method, path, json] of nulPaths) {
      const r = await read(
        send(
          { ...rec, method, path },
          '',
          json === undefined ? undefined : JSON.stringify(json),
          json ? 'application/json' : undefined,
        ),
      );
      expect(r, `${method} ${path}`).toMatchObject({ status: 400, body: { code: 26 } });
    }
    // Enrolment with a NUL subject: refused before the image is analysed (no example, no subject).
    const before = await db.query<{ n: number }>('select count(*)::int as n from examples');
    const enrol = await read(
      send(
        { ...rec, method: 'POST', path: '/api/v1/recognition/faces' },
        '?subject=Bad%00Name',
        validBody({ ...rec, method: 'POST', path: '', body: 'file' }).body,
      ),
    );
    expect(enrol).toMatchObject({ status: 400, body: { code: 26 } });
    expect(await db.query<{ n: number }>('select count(*)::int as n from examples')).toEqual(before);
    // The same names through the administration: sign-up, log-in, applications, services, members.
    const adm = { params: [], admin: true };
    const adminNul: [Route['method'], string, unknown][] = [
      ['POST', '/admin/signup', { email: 'nul\0@example.com', password: 'password-123' }],
      ['POST', '/admin/signup', { email: 'fine@example.com', password: 'password-123', first_name: 'A\0' }],
      ['POST', '/admin/login', { email: 'walker\0@example.com', password: 'password-123' }],
      ['POST', '/admin/apps', { name: 'App\0' }],
      ['PUT', `/admin/apps/${appId}`, { name: 'App\0' }],
      ['POST', `/admin/apps/${appId}/services`, { name: 'Svc\0', type: 'recognition' }],
      ['POST', `/admin/apps/${appId}/members`, { email: 'm\0@example.com', role: 'USER' }],
    ];
    for (const [method, path, json] of adminNul) {
      const r = await read(send({ ...adm, method, path }, '', JSON.stringify(json), 'application/json'));
      expect(r, `${method} ${path}`).toMatchObject({ status: 400, body: { code: 26 } });
    }
    const users = await db.query<{ n: number }>(
      "select count(*)::int as n from users where email like '%fine@%'",
    );
    expect(users[0].n).toBe(0);
    expect(keys.recognition).toBeTruthy();
  });

  it('range-checks the sync parameters (400, never 500)', async () => {
    const sync = (path: string) => read(send({ method: 'GET', path, key: 'recognition', params: [] }, ''));
    for (const q of [
      'events?limit=abc',
      'events?limit=1.5',
      'events?limit=0',
      'events?limit=1001',
      'pull?cursor=9999999999999999999',
      'pull?cursor=-1',
      'pull?cursor=abc',
    ]) {
      expect(await sync(`/api/v1/recognition/sync/${q}`), q).toMatchObject({
        status: 400,
        body: { code: 26 },
      });
    }
    expect((await sync('/api/v1/recognition/sync/events?limit=5')).status).toBe(200);
    expect((await sync('/api/v1/recognition/sync/pull?cursor=9223372036854775807')).status).toBe(200);
  });

  it('refuses subject names with ; / \\ (36) and answers the housekeeping endpoints as CompreFace', async () => {
    for (const name of ['a;b', 'a/b', 'a\\b']) {
      const r = await read(
        send(
          { method: 'POST', path: '/api/v1/recognition/subjects', key: 'recognition', params: [] },
          '',
          JSON.stringify({ subject: name }),
          'application/json',
        ),
      );
      expect(r, name).toMatchObject({ status: 400, body: { code: 36 } });
    }
    // java/api/.../controller/ConsistenceController.java and MigrateController.java
    expect(await read(app.request('/api/v1/consistence/status'))).toEqual({
      status: 200,
      body: { demoFaceCollectionIsInconsistent: false, saveImagesToDB: ctx().config.saveImagesToDb },
    });
    expect(await read(app.request('/api/v1/migrate', { method: 'POST' }))).toEqual({
      status: 200,
      body: 'Migration started',
    });
    // CORS preflight: the headers CompreFace's gateway allows.
    const pre = await app.request('/api/v1/recognition/recognize', {
      method: 'OPTIONS',
      headers: {
        origin: 'http://nvr.local',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'x-api-key,content-type,cache-control',
      },
    });
    const allowed = (pre.headers.get('access-control-allow-headers') ?? '').toLowerCase().split(/\s*,\s*/);
    for (const h of [
      'dnt',
      'user-agent',
      'x-requested-with',
      'if-modified-since',
      'cache-control',
      'content-type',
      'range',
      'x-api-key',
    ]) {
      expect(allowed, h).toContain(h);
    }
  });
});
