// Contracts of the batch endpoints beyond CompreFace (mounted at /api/v1): enrol many images, verify many pairs.
// Every item gets its own result (`{index, …}` or `{index, error}` with the single endpoints' codes) and the
// answer is 200 whenever the request itself is valid. The items are read by the route (per-item errors).
import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { BatchEnrolResponse, BatchVerifyResponse } from '../../../shared/api/face-service.js';
import { ValidationError } from '../../../shared/errors.js';
import { checked, givenValue } from '../http/contract.js';
import { MAX_BATCH_ITEMS } from '../services/batch.js';
import { detProbThreshold, errorResponses, jsonOk } from './common.js';

const LIMITS =
  `At most ${MAX_BATCH_ITEMS} items per request (more is 26 for the whole request). MAX_REQUEST_SIZE (default 10 MB) applies to the ` +
  'whole request body (413, code 38, nothing done); MAX_FILE_SIZE applies to each image (that item fails with 38). ' +
  'The answer is 200 whenever the request itself is valid: each item carries its own result or ' +
  "`error: {message, code}` with the single endpoint's codes (21 bad image, 28 no face, 31 several faces, 34 missing image...).";

const b64 = {
  type: 'string' as const,
  contentEncoding: 'base64',
  description: 'Base64, optionally with a data: URL prefix.',
};

/** More than MAX_BATCH_ITEMS is 26 for the whole request. */
export function checkCount(n: number, what: string): void {
  if (n > MAX_BATCH_ITEMS) {
    throw new ValidationError(`A batch holds at most ${MAX_BATCH_ITEMS} ${what}, got ${n}`);
  }
}

export const enrolBatch = createRoute({
  method: 'post',
  path: '/recognition/faces/batch',
  tags: ['Face collection'],
  summary: 'Add many examples in one request (Visor extension), each with its own result',
  description: LIMITS,
  request: {
    query: z.object({
      det_prob_threshold: detProbThreshold,
      subject: checked(givenValue).meta({
        type: 'string',
        description: 'Subject of every item without its own (JSON `subject`).',
      }),
    }),
    body: {
      required: true,
      content: {
        'multipart/form-data': {
          schema: {
            type: 'object',
            required: ['file'],
            properties: { file: { type: 'array', items: { type: 'string', format: 'binary' } } },
          },
        },
        'application/json': {
          schema: {
            type: 'object',
            required: ['images'],
            properties: {
              images: {
                type: 'array',
                maxItems: MAX_BATCH_ITEMS,
                items: {
                  type: 'object',
                  required: ['file'],
                  properties: { subject: { type: 'string' }, file: b64 },
                },
              },
            },
          },
        },
      },
    },
  },
  responses: { 200: jsonOk(BatchEnrolResponse, 'One result per item, in request order'), ...errorResponses },
});

export const verifyBatch = createRoute({
  method: 'post',
  path: '/verification/verify/batch',
  tags: ['Verification'],
  summary: 'Verify many image pairs in one request (Visor extension), each with its own result',
  description: `${LIMITS} The similarity is the source face's against the best-matching face of the target.`,
  request: {
    query: z.object({ det_prob_threshold: detProbThreshold }),
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z.object({
            pairs: checked((pairs): unknown[] => {
              if (!Array.isArray(pairs) || pairs.length === 0) {
                throw new ValidationError('pairs must be a non-empty array of {source_image, target_image}');
              }
              checkCount(pairs.length, 'pairs');
              return pairs as unknown[];
            }).meta({
              type: 'array',
              minItems: 1,
              maxItems: MAX_BATCH_ITEMS,
              items: {
                type: 'object',
                required: ['source_image', 'target_image'],
                properties: { source_image: b64, target_image: b64 },
              },
            }),
          }),
        },
      },
    },
  },
  responses: { 200: jsonOk(BatchVerifyResponse, 'One result per pair, in request order'), ...errorResponses },
});
