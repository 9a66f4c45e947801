// What the face-service API's contracts share: the query parameters every image endpoint reads (CompreFace's
// names, defaults and errors: http/query.ts parses, these schemas call it and document it), image bodies and the
// error responses.
import { z } from 'zod';
import { DETECT_MODES } from '../../../shared/engine/types.js';
import { queryParam } from '../http/contract.js';
import { ALLOWED_EXTENSIONS } from '../http/images.js';
import {
  boolValue,
  detectModeValue,
  intValue,
  MAX_PAGE_SIZE,
  pageValue,
  pluginsValue,
  sizeValue,
  unitValue,
} from '../http/query.js';

const error = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

/** The refusals every face-service operation may answer, as the document's shared responses. */
export const errorComponents = {
  BadRequest: error(
    'Bad input: missing key (20), bad image (21), validation (26), no face (28), missing part (34), malformed JSON (36), ...',
  ),
  NotFound: error('Service for this key (10), subject (42) or image (44) not found.'),
  TooLarge: error('A file over the file limit or a request over the body limit.'),
  ServerError: error('Unexpected failure; the body never carries internal details.'),
};
const ref = (name: keyof typeof errorComponents) => ({ $ref: `#/components/responses/${name}` });

/** The refusals every face-service operation may answer (`errorComponents`, by reference). */
export const errorResponses = {
  400: ref('BadRequest'),
  404: ref('NotFound'),
  413: ref('TooLarge'),
  500: ref('ServerError'),
};

/** A required JSON request body checked (and documented) by `schema`; register with `openapiJson` (http/contract.ts). */
export const jsonBody = <S extends z.ZodType>(schema: S) => ({
  required: true,
  content: { 'application/json': { schema } },
});

/** A 200 (or `status`) answer with a JSON body. */
export const jsonOk = <S extends z.ZodType>(schema: S, description = 'OK') => ({
  description,
  content: { 'application/json': { schema } },
});

/** An image answer: the bytes, or an empty body when the image does not exist. */
export const imageBytes = {
  description: 'The image bytes; an empty body when the image does not exist.',
  content: { 'image/*': { schema: { type: 'string' as const, format: 'binary' } } },
};

/**
 * Image inputs, documented only: the handler reads them (http/images.ts: a multipart part, or Base64 in a JSON
 * field of the same name) because their errors (21, 34, 38) depend on the part, not on a schema.
 */
export function imageBody(fields: Record<string, string>) {
  const multipart: Record<string, object> = {};
  const json: Record<string, object> = {};
  for (const [name, description] of Object.entries(fields)) {
    multipart[name] = {
      type: 'string',
      format: 'binary',
      description: `${description} File name extension: ${ALLOWED_EXTENSIONS.join(', ')}.`,
    };
    json[name] = {
      type: 'string',
      contentEncoding: 'base64',
      description: `${description} Base64, optionally with a data: URL prefix.`,
    };
  }
  const required = Object.keys(fields);
  return {
    required: true,
    content: {
      'multipart/form-data': { schema: { type: 'object' as const, required, properties: multipart } },
      'application/json': { schema: { type: 'object' as const, required, properties: json } },
    },
  };
}

export const oneImage = imageBody({ file: 'The image.' });

export const detProbThreshold = queryParam((v) => unitValue('det_prob_threshold', v), {
  type: 'number',
  minimum: 0,
  maximum: 1,
  description:
    "Faces with a detection probability at or below this are dropped (0..1, on CompreFace's scale; unset = 0.8). Not a match threshold.",
});

/** The options every image endpoint takes, in the order they were always checked. */
export const imageQuery = z.object({
  detect_mode: queryParam(detectModeValue, {
    type: 'string',
    enum: [...DETECT_MODES],
    default: 'accurate',
    description:
      'Visor extension. `accurate` searches an image pyramid for small and crowded faces; `fast` looks once (plus tiles on big photos), as a webcam kiosk wants.',
  }),
  limit: queryParam((v) => intValue('limit', v, 0, 0), {
    type: 'integer',
    minimum: 0,
    default: 0,
    description: 'Maximum number of faces, biggest first; 0 = all.',
  }),
  det_prob_threshold: detProbThreshold,
  face_plugins: queryParam(pluginsValue, {
    type: 'string',
    example: 'age,gender,landmarks',
    description:
      'Comma list: landmarks, age, gender, pose, mask, calculator (embedding), ... Unknown names are ignored.',
  }),
  status: queryParam((v) => boolValue('status', v, false), {
    type: 'boolean',
    default: false,
    description: 'true adds execution_time and plugins_versions.',
  }),
  detect_faces: queryParam((v) => boolValue('detect_faces', v, true), {
    type: 'boolean',
    default: true,
    description: 'false treats the whole image as one face.',
  }),
});

/** `imageQuery`'s values as the services take them. */
export const imageOptions = (q: z.output<typeof imageQuery>) => ({
  detectMode: q.detect_mode,
  limit: q.limit,
  detProbThreshold: q.det_prob_threshold,
  plugins: q.face_plugins,
  status: q.status,
  detectFaces: q.detect_faces,
});

/** `min_similarity` (checked first, as before) and `prediction_count`. */
export const matchQuery = z.object({
  min_similarity: queryParam((v) => unitValue('min_similarity', v), {
    type: 'number',
    minimum: 0,
    maximum: 1,
    description:
      'Visor extension: subjects below this similarity are not returned (0..1; default the service setting, 0 = always the nearest, as CompreFace).',
  }),
  prediction_count: queryParam((v) => intValue('prediction_count', v, 1, 1), {
    type: 'integer',
    minimum: 1,
    default: 1,
    description: 'Subjects returned per face, most similar first.',
  }),
});

/** `matchQuery`'s values as the services take them. */
export const matchOptions = (q: z.output<typeof matchQuery>) => ({
  predictionCount: q.prediction_count,
  ...(q.min_similarity === undefined ? {} : { minSimilarity: q.min_similarity }),
});

/** Spring's paging: never an error. */
export const pageParams = {
  page: queryParam(pageValue, {
    type: 'integer',
    minimum: 0,
    default: 0,
    description: 'As Spring clamps it: negative or not a number is 0.',
  }),
  size: queryParam(sizeValue, {
    type: 'integer',
    minimum: 1,
    maximum: MAX_PAGE_SIZE,
    default: 20,
    description: `As Spring clamps it: below 1 or not a number is 20, above ${MAX_PAGE_SIZE} is ${MAX_PAGE_SIZE}.`,
  }),
};

export const imageIdParam = z.object({ image_id: z.string().meta({ format: 'uuid' }) });
