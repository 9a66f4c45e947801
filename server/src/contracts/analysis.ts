// Contracts of the image analysis endpoints: recognize (/recognition/recognize), detect (/detection/detect) and
// verify two images (/verification/verify). Their images are read by the handler (common.ts imageBody).
import { createRoute } from '@hono/zod-openapi';
import { DetectResponse, RecognizeResponse, VerifyImagesResponse } from '../../../shared/api/face-service.js';
import { errorResponses, imageBody, imageQuery, jsonOk, matchQuery, oneImage } from './common.js';

export const recognize = createRoute({
  method: 'post',
  path: '/',
  tags: ['Recognition'],
  summary: 'Recognize the faces of an image',
  request: { query: imageQuery.extend(matchQuery.shape), body: oneImage },
  responses: { 200: jsonOk(RecognizeResponse), ...errorResponses },
});

export const detect = createRoute({
  method: 'post',
  path: '/',
  tags: ['Detection'],
  summary: 'Detect faces',
  description: 'No face is 400 with code 28, as CompreFace.',
  request: { query: imageQuery, body: oneImage },
  responses: { 200: jsonOk(DetectResponse), ...errorResponses },
});

export const verifyImages = createRoute({
  method: 'post',
  path: '/',
  tags: ['Verification'],
  summary: 'Compare the face of source_image with the faces of target_image',
  request: {
    query: imageQuery,
    body: imageBody({
      source_image: 'The image with exactly one face.',
      target_image: 'The image whose faces are compared with it.',
    }),
  },
  responses: { 200: jsonOk(VerifyImagesResponse), ...errorResponses },
});
