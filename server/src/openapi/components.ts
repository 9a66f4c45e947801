// Reusable parts of the OpenAPI document: schemas, parameters, request bodies and error responses.

const ref = (kind: string, name: string) => ({ $ref: `#/components/${kind}/${name}` });
export const schema = (name: string) => ref('schemas', name);
export const param = (name: string) => ref('parameters', name);
export const body = (name: string) => ref('requestBodies', name);
export const response = (name: string) => ref('responses', name);

const num = { type: 'number' } as const;
const int = { type: 'integer' } as const;
const str = { type: 'string' } as const;

const imageField = (name: string, description: string) => ({
  multipart: {
    type: 'string',
    format: 'binary',
    description: `${description} File name extension: jpeg, jpg, png, bmp, gif, tif, tiff, ico or webp.`,
  },
  json: {
    type: 'string',
    contentEncoding: 'base64',
    description: `${description} Base64, optionally with a data: URL prefix.`,
    title: name,
  },
});

function imageBody(fields: Record<string, string>) {
  const multipart: Record<string, unknown> = {};
  const json: Record<string, unknown> = {};
  for (const [name, description] of Object.entries(fields)) {
    const f = imageField(name, description);
    multipart[name] = f.multipart;
    json[name] = f.json;
  }
  const required = Object.keys(fields);
  return {
    required: true,
    content: {
      'multipart/form-data': { schema: { type: 'object', required, properties: multipart } },
      'application/json': { schema: { type: 'object', required, properties: json } },
    },
  };
}

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: schema('Error') } },
});

export const components = {
  securitySchemes: {
    apiKey: {
      type: 'apiKey',
      in: 'header',
      name: 'x-api-key',
      description: 'The API key (a UUID) of a face service of the type the path names.',
    },
  },
  schemas: {
    Error: {
      type: 'object',
      required: ['message', 'code'],
      properties: {
        message: str,
        code: {
          ...int,
          description:
            'CompreFace error code (20 missing key, 21 bad image, 26 validation, 28 no face, 42 subject not found, ...).',
        },
      },
    },
    Box: {
      type: 'object',
      required: ['probability', 'x_min', 'y_min', 'x_max', 'y_max'],
      properties: { probability: num, x_min: int, y_min: int, x_max: int, y_max: int },
    },
    Face: {
      type: 'object',
      required: ['box'],
      description: 'A detected face; plugin fields appear when requested with face_plugins.',
      properties: {
        box: schema('Box'),
        landmarks: {
          type: 'array',
          items: { type: 'array', items: num, minItems: 2, maxItems: 2 },
          description: 'landmarks plugin: left eye, right eye, nose, mouth left, mouth right.',
        },
        age: {
          type: 'object',
          properties: { low: int, high: int, probability: num },
          description:
            "age plugin: one of CompreFace's buckets 0-2, 4-6, 8-12, 15-20, 25-32, 38-43, 48-53, 60-100.",
        },
        visor_age: {
          type: 'object',
          properties: { low: int, high: int, probability: num },
          description:
            "Visor extension: Visor's own age range (the shortest range holding half the estimate).",
        },
        gender: { type: 'object', properties: { value: { enum: ['male', 'female'] }, probability: num } },
        pose: { type: 'object', properties: { pitch: num, roll: num, yaw: num } },
        mask: {
          type: 'object',
          properties: {
            value: { enum: ['without_mask', 'with_mask', 'mask_weared_incorrect'] },
            probability: num,
          },
          description: 'mask plugin.',
        },
        embedding: { type: 'array', items: num, description: 'calculator plugin.' },
        execution_time: {
          type: 'object',
          additionalProperties: int,
          description:
            "Integer milliseconds under CompreFace's keys: detector, calculator and each plugin that ran (status=true).",
        },
        visor_execution_time: {
          type: 'object',
          additionalProperties: num,
          description:
            "Visor extension: milliseconds of Visor's other stages (verifier, landmarks68, ...), status=true.",
        },
      },
      additionalProperties: true,
    },
    PluginsVersions: {
      type: 'object',
      additionalProperties: str,
      description: 'Version per plugin that ran (status=true).',
    },
    SubjectMatch: {
      type: 'object',
      required: ['subject', 'similarity'],
      properties: { subject: str, similarity: num },
    },
    RecognizeResponse: {
      type: 'object',
      properties: {
        result: {
          type: 'array',
          items: {
            allOf: [
              schema('Face'),
              { type: 'object', properties: { subjects: { type: 'array', items: schema('SubjectMatch') } } },
            ],
          },
        },
        plugins_versions: schema('PluginsVersions'),
      },
    },
    DetectResponse: {
      type: 'object',
      properties: {
        result: { type: 'array', items: schema('Face') },
        plugins_versions: schema('PluginsVersions'),
      },
    },
    VerifyExampleResponse: {
      type: 'object',
      properties: {
        result: {
          type: 'array',
          items: {
            allOf: [schema('Face'), { type: 'object', properties: { subject: str, similarity: num } }],
          },
        },
        plugins_versions: schema('PluginsVersions'),
      },
    },
    VerifyImagesResponse: {
      type: 'object',
      properties: {
        result: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              source_image_face: schema('Face'),
              face_matches: {
                type: 'array',
                items: { allOf: [schema('Face'), { type: 'object', properties: { similarity: num } }] },
              },
              plugins_versions: schema('PluginsVersions'),
            },
          },
        },
      },
    },
    Subject: {
      type: 'object',
      required: ['subject'],
      properties: { subject: { ...str, minLength: 1, maxLength: 50 } },
    },
    Subjects: { type: 'object', properties: { subjects: { type: 'array', items: str } } },
    Updated: { type: 'object', properties: { updated: { type: 'boolean' } } },
    Deleted: { type: 'object', properties: { deleted: int } },
    FaceExample: {
      type: 'object',
      required: ['image_id', 'subject'],
      properties: { image_id: { ...str, format: 'uuid' }, subject: str },
    },
    FacesPage: {
      type: 'object',
      properties: {
        faces: { type: 'array', items: schema('FaceExample') },
        page_number: int,
        page_size: int,
        total_pages: int,
        total_elements: int,
      },
    },
    Embedding: { type: 'array', items: num, minItems: 1 },
    EmbeddingSimilarity: { type: 'object', properties: { embedding: schema('Embedding'), similarity: num } },
    EmbeddingsResult: {
      type: 'object',
      properties: { result: { type: 'array', items: schema('EmbeddingSimilarity') } },
    },
    Config: {
      type: 'object',
      properties: {
        clientMaxFileSize: { ...int, description: 'bytes' },
        clientMaxBodySize: { ...int, description: 'bytes' },
      },
    },
  },
  parameters: {
    limit: {
      name: 'limit',
      in: 'query',
      description: 'Maximum number of faces, biggest first; 0 = all.',
      schema: { ...int, minimum: 0, default: 0 },
    },
    det_prob_threshold: {
      name: 'det_prob_threshold',
      in: 'query',
      description:
        "Faces with a detection probability at or below this are dropped (0..1, on CompreFace's scale; unset = 0.8). Not a match threshold.",
      schema: { ...num, minimum: 0, maximum: 1 },
    },
    detect_mode: {
      name: 'detect_mode',
      in: 'query',
      description:
        'Visor extension. `accurate` searches an image pyramid for small and crowded faces; `fast` looks once (plus tiles on big photos), as a webcam kiosk wants.',
      schema: { type: 'string', enum: ['accurate', 'fast'], default: 'accurate' },
    },
    prediction_count: {
      name: 'prediction_count',
      in: 'query',
      description: 'Subjects returned per face, most similar first.',
      schema: { ...int, minimum: 1, default: 1 },
    },
    face_plugins: {
      name: 'face_plugins',
      in: 'query',
      description:
        'Comma list: landmarks, age, gender, pose, mask, calculator (embedding), ... Unknown names are ignored.',
      schema: str,
      example: 'age,gender,landmarks',
    },
    status: {
      name: 'status',
      in: 'query',
      description: 'true adds execution_time and plugins_versions.',
      schema: { type: 'boolean', default: false },
    },
    detect_faces: {
      name: 'detect_faces',
      in: 'query',
      description: 'false treats the whole image as one face.',
      schema: { type: 'boolean', default: true },
    },
    min_similarity: {
      name: 'min_similarity',
      in: 'query',
      description:
        'Visor extension: subjects below this similarity are not returned (0..1; default the service setting, 0 = always the nearest, as CompreFace).',
      schema: { ...num, minimum: 0, maximum: 1 },
    },
    page: {
      name: 'page',
      in: 'query',
      description: 'As Spring clamps it: negative or not a number is 0.',
      schema: { ...int, minimum: 0, default: 0 },
    },
    size: {
      name: 'size',
      in: 'query',
      description: 'As Spring clamps it: below 1 or not a number is 20, above 2000 is 2000.',
      schema: { ...int, minimum: 1, maximum: 2000, default: 20 },
    },
    image_id: { name: 'image_id', in: 'path', required: true, schema: { ...str, format: 'uuid' } },
    subject_path: { name: 'subject', in: 'path', required: true, schema: str },
  },
  requestBodies: {
    Image: imageBody({ file: 'The image.' }),
    TwoImages: imageBody({
      source_image: 'The image with exactly one face.',
      target_image: 'The image whose faces are compared with it.',
    }),
    Subject: { required: true, content: { 'application/json': { schema: schema('Subject') } } },
  },
  responses: {
    BadRequest: errorResponse(
      'Bad input: missing key (20), bad image (21), validation (26), no face (28), missing part (34), malformed JSON (36), ...',
    ),
    NotFound: errorResponse('Service for this key (10), subject (42) or image (44) not found.'),
    TooLarge: errorResponse('A file over the file limit or a request over the body limit.'),
    ServerError: errorResponse('Unexpected failure; the body never carries internal details.'),
  },
};
