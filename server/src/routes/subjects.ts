// /api/v1/recognition/subjects: create, list, rename (or merge), delete one, delete all (contracts/subjects.ts).
import { apiKey } from '../http/api-key.js';
import { contractApp, openapiJson } from '../http/contract.js';
import type { AppEnv, RouteDeps } from '../http/env.js';
import * as api from '../contracts/subjects.js';

export function subjectRoutes({ services }: RouteDeps) {
  const app = contractApp<AppEnv>();
  app.use(apiKey(services, 'recognition'));
  openapiJson(app, api.createSubject, async (c) =>
    c.json(await services.createSubject(c.var.service, c.req.valid('json').subject), 201),
  );
  app.openapi(api.listSubjects, async (c) =>
    c.json({ subjects: await services.listSubjects(c.var.service) }, 200),
  );
  openapiJson(app, api.renameSubject, async (c) =>
    c.json(
      await services.renameSubject(c.var.service, c.req.valid('param').subject, c.req.valid('json').subject),
      200,
    ),
  );
  app.openapi(api.deleteSubject, async (c) =>
    c.json(await services.deleteSubject(c.var.service, c.req.valid('param').subject), 200),
  );
  app.openapi(api.deleteAllSubjects, async (c) =>
    c.json(await services.deleteAllSubjects(c.var.service), 200),
  );
  return app;
}
