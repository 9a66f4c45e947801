// The admin API's part of /api/openapi.json comes from its contracts (server/src/contracts/admin): every
// mounted admin route is documented and nothing else is, with its tag, the session cookie (or none on the
// public account operations), the CSRF header on state-changing operations and the {message, code} refusals.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp } from '../../server/src/app.js';
import { testDecode, testEngine } from '../storage/test-engine.js';
import { openapiDocument } from '../../server/src/openapi/document.js';
import { createAdminServices, type AdminServices } from '../../server/src/services/admin/index.js';
import { createFaceServices, type FaceServicesRuntime } from '../../server/src/services/face-services.js';
import { describeOnOneDatabase } from '../storage/backends.js';
import { quiet } from './harness.js';

type Operation = {
  tags?: string[];
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string }[];
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
};
type Doc = {
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Record<string, unknown> };
};

const PUBLIC = [
  'GET /admin/settings',
  'POST /admin/signup',
  'POST /admin/login',
  'POST /admin/confirm-email',
  'POST /admin/confirm-email/resend',
  'POST /admin/password-reset',
  'POST /admin/password-reset/confirm',
];
const TAGS = ['Account', 'Users', 'Applications', 'Face services'];

describeOnOneDatabase('admin: the OpenAPI document is the route table', (get) => {
  let services: FaceServicesRuntime;
  let admin: AdminServices;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    const { config, db } = get();
    services = await createFaceServices({
      config,
      db,
      engine: await testEngine(),
      decode: testDecode,
    });
    admin = createAdminServices({ config, db, logger: quiet });
    app = createApp({ config, services, logger: quiet, admin: { services: admin } });
  });
  afterAll(async () => {
    await admin?.close();
    await services?.close();
  });

  it('documents every mounted admin route, and only those', () => {
    const doc = openapiDocument(app) as unknown as Doc;
    const documented = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/admin'))
      .flatMap(([path, methods]) =>
        Object.keys(methods).map((m) => `${m.toUpperCase()} ${path.replace(/\{[^}]+\}/g, ':')}`),
      );
    const served = app.routes
      .filter((r) => ['GET', 'POST', 'PUT', 'DELETE'].includes(r.method) && r.path.startsWith('/admin/'))
      .map((r) => `${r.method} ${r.path.replace(/:[^/]+/g, ':')}`);
    expect(new Set(served).size).toBeGreaterThanOrEqual(36);
    expect([...new Set(documented)].sort()).toEqual([...new Set(served)].sort());
  });

  it('says who may call each operation, with which header, and how it refuses', () => {
    const doc = openapiDocument(app) as unknown as Doc;
    expect(doc.components.securitySchemes.session).toMatchObject({
      type: 'apiKey',
      in: 'cookie',
      name: 'visor_session',
    });
    const publicOps: string[] = [];
    for (const [path, methods] of Object.entries(doc.paths)) {
      if (!path.startsWith('/admin')) continue;
      for (const [method, op] of Object.entries(methods)) {
        const name = `${method.toUpperCase()} ${path}`;
        expect(TAGS, name).toContain(op.tags?.[0]);
        if (op.security?.length === 0) publicOps.push(name);
        else expect(op.security, name).toEqual([{ session: [] }]);
        const csrf = (op.parameters ?? []).some((p) => p.in === 'header' && p.name === 'x-requested-with');
        expect(csrf, name).toBe(method !== 'get');
        for (const status of ['400', '401', '403', '404', '409']) {
          expect(op.responses[status]?.content?.['application/json']?.schema, `${name} ${status}`).toEqual({
            $ref: '#/components/schemas/AdminError',
          });
        }
      }
    }
    expect(publicOps.sort()).toEqual([...PUBLIC].sort());
  });
});
