// /api/v1/recognition/subjects: create, list, rename (or merge), delete one, delete all.
import { Hono } from 'hono';
import { apiKey } from '../http/api-key.js';
import type { AppEnv, RouteDeps } from '../http/env.js';
import { readJsonObject } from '../http/json.js';
import { checkSubjectName } from '../services/validate.js';

/** The `subject` field of a JSON body: a non-blank string (26 "Subject name is empty" otherwise, as CompreFace). */
function subjectField(body: Record<string, unknown>): string {
  const s = body.subject;
  return checkSubjectName(typeof s === 'string' ? s : undefined);
}

export function subjectRoutes({ services }: RouteDeps) {
  return new Hono<AppEnv>()
    .use(apiKey(services, 'recognition'))
    .post('/', async (c) => {
      const subject = subjectField(await readJsonObject(c));
      return c.json(await services.createSubject(c.var.service, subject), 201);
    })
    .get('/', async (c) => c.json({ subjects: await services.listSubjects(c.var.service) }))
    .put('/:subject', async (c) => {
      const to = subjectField(await readJsonObject(c));
      return c.json(await services.renameSubject(c.var.service, c.req.param('subject'), to));
    })
    .delete('/:subject', async (c) =>
      c.json(await services.deleteSubject(c.var.service, c.req.param('subject'))),
    )
    .delete('/', async (c) => c.json(await services.deleteAllSubjects(c.var.service)));
}
