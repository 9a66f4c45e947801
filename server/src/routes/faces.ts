// /api/v1/recognition/faces: add an example, list, delete (by subject, by id, many), download, verify against one
// (contracts/faces.ts).
import * as api from '../contracts/faces.js';
import { imageOptions } from '../contracts/common.js';
import { apiKey } from '../http/api-key.js';
import { contractApp, openapiJson } from '../http/contract.js';
import type { AppEnv, RouteDeps } from '../http/env.js';
import { readImage } from '../http/images.js';
import { facesPage, imageResponse } from '../http/responses.js';

export function faceRoutes({ services, config }: RouteDeps) {
  const app = contractApp<AppEnv>();
  app.use(apiKey(services, 'recognition'));
  app.openapi(api.addExample, async (c) => {
    const { subject, det_prob_threshold: detProbThreshold } = c.req.valid('query');
    const image = await readImage(c, config);
    return c.json(await services.addExample(c.var.service, subject, image, { detProbThreshold }), 201);
  });
  app.openapi(api.listExamples, async (c) => {
    const { page, size, subject } = c.req.valid('query');
    return c.json(facesPage(await services.listExamples(c.var.service, { page, size, subject })), 200);
  });
  // With a subject, its examples and the subject go; without one every example goes, the subjects stay.
  app.openapi(api.deleteBySubject, async (c) =>
    c.json(await services.deleteExamplesBySubject(c.var.service, c.req.valid('query').subject), 200),
  );
  openapiJson(app, api.deleteExamples, async (c) =>
    c.json(await services.deleteExamples(c.var.service, c.req.valid('json')), 200),
  );
  app.openapi(api.deleteExample, async (c) =>
    c.json(await services.deleteExample(c.var.service, c.req.valid('param').image_id), 200),
  );
  app.openapi(api.exampleImage, async (c) =>
    imageResponse(c, await services.getExampleImage(c.var.service, c.req.valid('param').image_id)),
  );
  app.openapi(api.verifyExample, async (c) => {
    const q = imageOptions(c.req.valid('query'));
    const image = await readImage(c, config);
    return c.json(await services.verifyExample(c.var.service, c.req.valid('param').image_id, image, q), 200);
  });
  return app;
}
