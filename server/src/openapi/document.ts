// The OpenAPI 3.1 document served at GET /api/openapi.json: the face-service API (/api/v1, API key) and the admin
// API (/admin, session cookie). Routes written as contracts (http/contract.ts) document themselves; the operations
// below are the hand-written rest, merged in until their routes are contracts too.
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Env } from 'hono';
import { ErrorBody } from '../../../shared/api/face-service.js';
import { errorComponents } from '../contracts/common.js';
import { adminOpenApi } from '../routes/admin/openapi.js';
import { batchOpenApi } from '../routes/batch-openapi.js';
import { body, components, param, response, schema } from './components.js';

const json = (name: string, description = 'OK') => ({
  description,
  content: { 'application/json': { schema: schema(name) } },
});

const errors = {
  '400': response('BadRequest'),
  '404': response('NotFound'),
  '413': response('TooLarge'),
  '500': response('ServerError'),
};

interface Op {
  tag: string;
  summary: string;
  description?: string;
  params?: string[];
  requestBody?: unknown;
  ok: Record<string, unknown>;
  security?: boolean;
}

function op({ tag, summary, description, params = [], requestBody, ok, security = true }: Op) {
  return {
    tags: [tag],
    summary,
    ...(description ? { description } : {}),
    ...(params.length ? { parameters: params.map(param) } : {}),
    ...(requestBody ? { requestBody } : {}),
    ...(security ? {} : { security: [] }),
    responses: { ...ok, ...errors },
  };
}

const imageParams = ['limit', 'det_prob_threshold', 'face_plugins', 'status', 'detect_faces', 'detect_mode'];
const imageBytes = {
  description: 'The image bytes; an empty body when the image does not exist.',
  content: { 'image/*': { schema: { type: 'string', format: 'binary' } } },
};

const paths = {
  '/api/v1/static/{api_key}/images/{image_id}': {
    get: {
      ...op({
        tag: 'Face collection',
        summary: 'Download an example image, key in the path (for <img src>)',
        security: false,
        ok: { '200': imageBytes },
      }),
      parameters: [
        { name: 'api_key', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
        param('image_id'),
      ],
    },
  },
  '/api/v1/recognition/recognize': {
    post: op({
      tag: 'Recognition',
      summary: 'Recognize the faces of an image',
      params: [...imageParams, 'prediction_count', 'min_similarity'],
      requestBody: body('Image'),
      ok: { '200': json('RecognizeResponse') },
    }),
  },
  '/api/v1/detection/detect': {
    post: op({
      tag: 'Detection',
      summary: 'Detect faces',
      description: 'No face is 400 with code 28, as CompreFace.',
      params: imageParams,
      requestBody: body('Image'),
      ok: { '200': json('DetectResponse') },
    }),
  },
  '/api/v1/verification/verify': {
    post: op({
      tag: 'Verification',
      summary: 'Compare the face of source_image with the faces of target_image',
      params: imageParams,
      requestBody: body('TwoImages'),
      ok: { '200': json('VerifyImagesResponse') },
    }),
  },
  '/api/v1/recognition/embeddings/recognize': {
    post: op({
      tag: 'Embeddings',
      summary: 'Recognize embeddings',
      params: ['prediction_count', 'min_similarity'],
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: ['embeddings'],
              properties: { embeddings: { type: 'array', items: schema('Embedding') } },
            },
          },
        },
      },
      ok: {
        '200': {
          description: 'OK',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  result: {
                    type: 'array',
                    items: {
                      type: 'object',
                      properties: {
                        embedding: schema('Embedding'),
                        similarities: { type: 'array', items: schema('SubjectMatch') },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    }),
  },
  '/api/v1/recognition/embeddings/faces/{image_id}/verify': {
    post: op({
      tag: 'Embeddings',
      summary: 'Verify embeddings against a saved example',
      params: ['image_id'],
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: ['embeddings'],
              properties: { embeddings: { type: 'array', items: schema('Embedding') } },
            },
          },
        },
      },
      ok: { '200': json('EmbeddingsResult') },
    }),
  },
  '/api/v1/verification/embeddings/verify': {
    post: op({
      tag: 'Embeddings',
      summary: 'Verify embeddings against a source embedding',
      description:
        "Any dimension, as CompreFace: the targets must have the source's. Vectors from another embedder are scored with Visor's calibration, so their similarity only ranks them.",
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: ['source', 'targets'],
              properties: {
                source: schema('Embedding'),
                targets: { type: 'array', items: schema('Embedding') },
              },
            },
          },
        },
      },
      ok: { '200': json('EmbeddingsResult') },
    }),
  },
  '/api/v1/consistence/status': {
    get: op({
      tag: 'Server',
      summary: "CompreFace's consistency check (always consistent in Visor)",
      security: false,
      ok: {
        '200': {
          description: 'OK',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  demoFaceCollectionIsInconsistent: { type: 'boolean' },
                  saveImagesToDB: { type: 'boolean' },
                },
              },
            },
          },
        },
      },
    }),
  },
  '/api/v1/migrate': {
    post: op({
      tag: 'Server',
      summary: "CompreFace's embedding migration: answered as CompreFace, nothing to run in Visor",
      security: false,
      ok: { '200': { description: 'OK', content: { 'text/plain': { schema: { type: 'string' } } } } },
    }),
  },
  '/api/v1/config': {
    get: op({
      tag: 'Server',
      summary: 'Client-visible limits',
      security: false,
      ok: { '200': json('Config') },
    }),
  },
};

const info = {
  title: 'Visor API',
  version: '1.0.0',
  description:
    'CompreFace-compatible face recognition, detection and verification under /api/v1 (x-api-key header), and the administration API under /admin (session cookie). Every image input is a multipart part or, with Content-Type application/json, the same field holding Base64. Errors are {"message", "code"} with CompreFace\'s codes.',
  license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
};

const tags = [
  { name: 'Subjects' },
  { name: 'Face collection' },
  { name: 'Recognition' },
  { name: 'Detection' },
  { name: 'Verification' },
  { name: 'Embeddings' },
  { name: 'Server' },
  ...adminOpenApi.tags,
];

/** Registers what every contract refers to by name: the error body, the shared refusals, the API key scheme. */
export function registerDocumentParts<E extends Env>(app: OpenAPIHono<E>): void {
  const registry = app.openAPIRegistry;
  registry.register('Error', ErrorBody);
  for (const [name, response] of Object.entries(errorComponents)) {
    registry.registerComponent('responses', name, response);
  }
  registry.registerComponent('securitySchemes', 'apiKey', {
    type: 'apiKey',
    in: 'header',
    name: 'x-api-key',
    description: 'The API key (a UUID) of a face service of the type the path names.',
  });
}

type Parts = Record<string, Record<string, unknown> | undefined>;

/** The whole document for `app`: its contracts' operations and the hand-written rest; `servers` is the caller's. */
export function openapiDocument<E extends Env>(app: OpenAPIHono<E>) {
  const generated = app.getOpenAPI31Document({ openapi: '3.1.0', info, tags, security: [{ apiKey: [] }] });
  const { webhooks: _none, ...doc } = generated;
  const written: Parts = {
    ...components,
    securitySchemes: { ...components.securitySchemes, ...adminOpenApi.components.securitySchemes },
    schemas: { ...components.schemas, ...batchOpenApi.schemas, ...adminOpenApi.components.schemas },
  };
  const made = (doc.components ?? {}) as Parts;
  const merged: Parts = {};
  for (const kind of new Set([...Object.keys(written), ...Object.keys(made)])) {
    merged[kind] = { ...written[kind], ...made[kind] };
  }
  return {
    ...doc,
    paths: { ...paths, ...batchOpenApi.paths, ...adminOpenApi.paths, ...doc.paths },
    components: merged,
  };
}
