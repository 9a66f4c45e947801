// Contracts of /api/v1/recognition/subjects: create, list, rename (or merge), delete one, delete all.
import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { Deleted, Subject, Subjects, Updated } from '../../../shared/api/face-service.js';
import { checked } from '../http/contract.js';
import { checkSubjectName, MAX_SUBJECT_LENGTH } from '../services/validate.js';
import { errorResponses, jsonBody, jsonOk } from './common.js';

const tags = ['Subjects'];

/** `{subject}`: a non-blank string (26 "Subject name is empty" otherwise, as CompreFace), no `;` `/` `\` (36). */
const subjectBody = jsonBody(
  z.object({
    subject: checked((s) => checkSubjectName(typeof s === 'string' ? s : undefined)).meta({
      type: 'string',
      minLength: 1,
      maxLength: MAX_SUBJECT_LENGTH,
    }),
  }),
);
const subjectPath = z.object({ subject: z.string() });

export const createSubject = createRoute({
  method: 'post',
  path: '/',
  tags,
  summary: 'Add a subject',
  request: { body: subjectBody },
  responses: { 201: jsonOk(Subject, 'Created'), ...errorResponses },
});

export const listSubjects = createRoute({
  method: 'get',
  path: '/',
  tags,
  summary: 'List subjects',
  responses: { 200: jsonOk(Subjects), ...errorResponses },
});

export const deleteAllSubjects = createRoute({
  method: 'delete',
  path: '/',
  tags,
  summary: 'Delete all subjects and their examples',
  responses: { 200: jsonOk(Deleted), ...errorResponses },
});

export const renameSubject = createRoute({
  method: 'put',
  path: '/{subject}',
  tags,
  summary: 'Rename a subject',
  description: 'Renaming to an existing name merges the two subjects.',
  request: { params: subjectPath, body: subjectBody },
  responses: { 200: jsonOk(Updated), ...errorResponses },
});

export const deleteSubject = createRoute({
  method: 'delete',
  path: '/{subject}',
  tags,
  summary: 'Delete a subject and its examples',
  request: { params: subjectPath },
  responses: { 200: jsonOk(Subject), ...errorResponses },
});
