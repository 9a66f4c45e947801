// /api/v1/recognition/faces: add an example, list, delete (by subject, by id, many), download, verify against one.
import { Hono } from 'hono';
import { IncorrectArgument, MissingParameter } from '../../../shared/errors.js';
import { apiKey } from '../http/api-key.js';
import type { AppEnv, RouteDeps } from '../http/env.js';
import { readImage } from '../http/images.js';
import { readJson } from '../http/json.js';
import { imageQuery, pageQuery, unitParam } from '../http/query.js';
import { facesPage, imageResponse } from '../http/responses.js';
import { checkSubjectName } from '../services/validate.js';

export function faceRoutes({ services, config }: RouteDeps) {
  return (
    new Hono<AppEnv>()
      .use(apiKey(services, 'recognition'))
      .post('/', async (c) => {
        const subject = c.req.query('subject');
        if (subject === undefined) throw new MissingParameter('subject');
        checkSubjectName(subject); // before the upload is read: blank 26, `;` `/` `\` 36
        const detProbThreshold = unitParam(c, 'det_prob_threshold');
        const image = await readImage(c, config);
        return c.json(await services.addExample(c.var.service, subject, image, { detProbThreshold }), 201);
      })
      .get('/', async (c) => {
        const subject = c.req.query('subject') || undefined;
        return c.json(facesPage(await services.listExamples(c.var.service, { ...pageQuery(c), subject })));
      })
      // With a subject, its examples and the subject go; without one every example goes, the subjects stay.
      .delete('/', async (c) =>
        c.json(await services.deleteExamplesBySubject(c.var.service, c.req.query('subject') || undefined)),
      )
      .post('/delete', async (c) => {
        const ids = await readJson(c);
        if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) {
          throw new IncorrectArgument('Request body must be a JSON array of image ids');
        }
        return c.json(await services.deleteExamples(c.var.service, ids as string[]));
      })
      .delete('/:image_id', async (c) =>
        c.json(await services.deleteExample(c.var.service, c.req.param('image_id'))),
      )
      .get('/:image_id/img', async (c) =>
        imageResponse(c, await services.getExampleImage(c.var.service, c.req.param('image_id'))),
      )
      .post('/:image_id/verify', async (c) => {
        const q = imageQuery(c);
        const image = await readImage(c, config);
        return c.json(await services.verifyExample(c.var.service, c.req.param('image_id'), image, q));
      })
  );
}
