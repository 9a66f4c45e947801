// The batch endpoints' part of the OpenAPI document (Visor extensions beyond CompreFace), for
// server/src/openapi/document.ts to merge: `paths: { ...paths, ...batchOpenApi.paths }`, schemas likewise.
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const param = (name: string) => ({ $ref: `#/components/parameters/${name}` });
const errorResponse = (name: string) => ({ $ref: `#/components/responses/${name}` });
const str = { type: 'string' } as const;
const int = { type: 'integer' } as const;
const b64 = {
  type: 'string',
  contentEncoding: 'base64',
  description: 'Base64, optionally with a data: URL prefix.',
};
const errors = {
  '400': errorResponse('BadRequest'),
  '404': errorResponse('NotFound'),
  '413': errorResponse('TooLarge'),
  '500': errorResponse('ServerError'),
};
const LIMITS =
  'At most 100 items per request (more is 26 for the whole request). MAX_REQUEST_SIZE (default 10 MB) applies to the ' +
  'whole request body (413, code 38, nothing done); MAX_FILE_SIZE applies to each image (that item fails with 38). ' +
  'The answer is 200 whenever the request itself is valid: each item carries its own result or ' +
  "`error: {message, code}` with the single endpoint's codes (21 bad image, 28 no face, 31 several faces, 34 missing image...).";

export const batchOpenApi = {
  paths: {
    '/api/v1/recognition/faces/batch': {
      post: {
        tags: ['Face collection'],
        summary: 'Add many examples in one request (Visor extension), each with its own result',
        description: LIMITS,
        parameters: [
          {
            name: 'subject',
            in: 'query',
            description: 'Subject of every item without its own (JSON `subject`).',
            schema: str,
          },
          param('det_prob_threshold'),
        ],
        requestBody: {
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
                    maxItems: 100,
                    items: { type: 'object', required: ['file'], properties: { subject: str, file: b64 } },
                  },
                },
              },
            },
          },
        },
        responses: {
          '200': {
            description: 'One result per item, in request order',
            content: { 'application/json': { schema: ref('BatchEnrolResponse') } },
          },
          ...errors,
        },
      },
    },
    '/api/v1/verification/verify/batch': {
      post: {
        tags: ['Verification'],
        summary: 'Verify many image pairs in one request (Visor extension), each with its own result',
        description: `${LIMITS} The similarity is the source face's against the best-matching face of the target.`,
        parameters: [param('det_prob_threshold')],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['pairs'],
                properties: {
                  pairs: {
                    type: 'array',
                    minItems: 1,
                    maxItems: 100,
                    items: {
                      type: 'object',
                      required: ['source_image', 'target_image'],
                      properties: { source_image: b64, target_image: b64 },
                    },
                  },
                },
              },
            },
          },
        },
        responses: {
          '200': {
            description: 'One result per pair, in request order',
            content: { 'application/json': { schema: ref('BatchVerifyResponse') } },
          },
          ...errors,
        },
      },
    },
  },
  schemas: {
    BatchEnrolResponse: {
      type: 'object',
      required: ['result'],
      properties: {
        result: {
          type: 'array',
          items: {
            type: 'object',
            required: ['index'],
            properties: {
              index: int,
              filename: str,
              image_id: { ...str, format: 'uuid' },
              subject: str,
              error: ref('Error'),
            },
          },
        },
      },
    },
    BatchVerifyResponse: {
      type: 'object',
      required: ['result'],
      properties: {
        result: {
          type: 'array',
          items: {
            type: 'object',
            required: ['index'],
            properties: {
              index: int,
              similarity: { type: 'number' },
              source_box: ref('Box'),
              target_box: ref('Box'),
              error: ref('Error'),
            },
          },
        },
      },
    },
  },
};
