// Contracts of /api/v1/recognition/faces: add an example, list, delete (by subject, by id, many), download,
// verify an image against one.
import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { Deleted, FaceExample, FacesPage, VerifyExampleResponse } from '../../../shared/api/face-service.js';
import { IncorrectArgument, MissingParameter } from '../../../shared/errors.js';
import { checked, givenValue } from '../http/contract.js';
import { checkSubjectName } from '../services/validate.js';
import {
  detProbThreshold,
  errorResponses,
  imageBytes,
  imageIdParam,
  imageQuery,
  jsonBody,
  jsonOk,
  oneImage,
  pageParams,
} from './common.js';

const tags = ['Face collection'];
/** An optional `subject` filter, as given (blank = none). */
const subjectFilter = checked((v) => givenValue(v) || undefined).meta({ type: 'string' });

export const addExample = createRoute({
  method: 'post',
  path: '/',
  tags,
  summary: 'Add an example of a subject',
  description:
    'The image must hold exactly one face (28 none, 31 more than one). The subject is created when new.',
  request: {
    query: z.object({
      // before the upload is read: missing 33, blank 26, `;` `/` `\` 36
      subject: checked((v) => {
        const s = givenValue(v);
        if (s === undefined) throw new MissingParameter('subject');
        return checkSubjectName(s);
      }).meta({ type: 'string' }),
      det_prob_threshold: detProbThreshold,
    }),
    body: oneImage,
  },
  responses: { 201: jsonOk(FaceExample, 'Created'), ...errorResponses },
});

export const listExamples = createRoute({
  method: 'get',
  path: '/',
  tags,
  summary: 'List examples',
  request: { query: z.object({ ...pageParams, subject: subjectFilter }) },
  responses: { 200: jsonOk(FacesPage), ...errorResponses },
});

export const deleteBySubject = createRoute({
  method: 'delete',
  path: '/',
  tags,
  summary: 'Delete a subject with all its examples (without subject: every example, the subjects stay)',
  request: { query: z.object({ subject: subjectFilter }) },
  responses: { 200: jsonOk(Deleted), ...errorResponses },
});

export const deleteExamples = createRoute({
  method: 'post',
  path: '/delete',
  tags,
  summary: 'Delete examples by id',
  description: 'Unknown ids are ignored; the answer lists what was deleted.',
  request: {
    body: jsonBody(
      checked((ids) => {
        if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) {
          throw new IncorrectArgument('Request body must be a JSON array of image ids');
        }
        return ids as string[];
      }).meta({ type: 'array', items: { type: 'string', format: 'uuid' } }),
    ),
  },
  responses: { 200: jsonOk(z.array(FaceExample)), ...errorResponses },
});

export const deleteExample = createRoute({
  method: 'delete',
  path: '/{image_id}',
  tags,
  summary: 'Delete an example',
  request: { params: imageIdParam },
  responses: { 200: jsonOk(FaceExample), ...errorResponses },
});

export const exampleImage = createRoute({
  method: 'get',
  path: '/{image_id}/img',
  tags,
  summary: 'Download an example image',
  request: { params: imageIdParam },
  responses: { 200: imageBytes, ...errorResponses },
});

export const verifyExample = createRoute({
  method: 'post',
  path: '/{image_id}/verify',
  tags: ['Recognition'],
  summary: 'Compare the faces of an image with a saved example',
  request: { params: imageIdParam, query: imageQuery, body: oneImage },
  responses: { 200: jsonOk(VerifyExampleResponse), ...errorResponses },
});
