// Wire shapes of CompreFace's face-service API (/api/v1) as zod schemas: the server's contracts validate and
// document with them (server/src/contracts), the web app reads their types (z.infer). `.meta({id})` names the
// OpenAPI component.
import { z } from 'zod';

const num = z.number();
const int = z.number().int();

export const ErrorBody = z
  .object({
    message: z.string(),
    code: int.meta({
      description:
        'CompreFace error code (20 missing key, 21 bad image, 26 validation, 28 no face, 42 subject not found, ...).',
    }),
  })
  .meta({ id: 'Error' });

export const Box = z
  .object({ probability: num, x_min: int, y_min: int, x_max: int, y_max: int })
  .meta({ id: 'Box' });

const range = z.object({ low: int, high: int, probability: num });
const labelled = z.object({ value: z.string(), probability: num });

export const Face = z
  .looseObject({
    box: Box,
    landmarks: z
      .array(z.tuple([num, num]))
      .optional()
      .meta({ description: 'landmarks plugin: left eye, right eye, nose, mouth left, mouth right.' }),
    age: range.optional().meta({
      description:
        "age plugin: one of CompreFace's buckets 0-2, 4-6, 8-12, 15-20, 25-32, 38-43, 48-53, 60-100.",
    }),
    visor_age: range.optional().meta({
      description: "Visor extension: Visor's own age range (the shortest range holding half the estimate).",
    }),
    gender: z.object({ value: z.enum(['male', 'female']), probability: num }).optional(),
    pose: z.object({ pitch: num, roll: num, yaw: num }).optional(),
    mask: labelled
      .optional()
      .meta({ description: 'mask plugin: without_mask, with_mask or mask_weared_incorrect.' }),
    emotion: labelled.optional(),
    liveness: labelled.optional(),
    embedding: z.array(num).optional().meta({ description: 'calculator plugin.' }),
    execution_time: z.record(z.string(), num).optional().meta({
      description:
        "Integer milliseconds under CompreFace's keys: detector, calculator and each plugin that ran (status=true).",
    }),
    visor_execution_time: z.record(z.string(), num).optional().meta({
      description:
        "Visor extension: milliseconds of Visor's other stages (verifier, landmarks68, ...), status=true.",
    }),
  })
  .meta({
    id: 'Face',
    description: 'A detected face; plugin fields appear when requested with face_plugins.',
  });

export const PluginsVersions = z
  .record(z.string(), z.string())
  .meta({ id: 'PluginsVersions', description: 'Version per plugin that ran (status=true).' });

export const SubjectMatch = z.object({ subject: z.string(), similarity: num }).meta({ id: 'SubjectMatch' });

export const RecognizeResponse = z
  .object({
    result: z.array(Face.extend({ subjects: z.array(SubjectMatch) })),
    plugins_versions: PluginsVersions.optional(),
  })
  .meta({ id: 'RecognizeResponse' });

export const DetectResponse = z
  .object({ result: z.array(Face), plugins_versions: PluginsVersions.optional() })
  .meta({ id: 'DetectResponse' });

export const VerifyExampleResponse = z
  .object({
    result: z.array(Face.extend({ subject: z.string(), similarity: num })),
    plugins_versions: PluginsVersions.optional(),
  })
  .meta({ id: 'VerifyExampleResponse' });

export const VerifyImagesResponse = z
  .object({
    result: z.array(
      z.object({
        source_image_face: Face,
        face_matches: z.array(Face.extend({ similarity: num })),
        plugins_versions: PluginsVersions.optional(),
      }),
    ),
  })
  .meta({ id: 'VerifyImagesResponse' });

export const Subject = z.object({ subject: z.string().min(1).max(50) }).meta({ id: 'Subject' });
export const Subjects = z.object({ subjects: z.array(z.string()) }).meta({ id: 'Subjects' });
export const Updated = z.object({ updated: z.boolean() }).meta({ id: 'Updated' });
export const Deleted = z.object({ deleted: int }).meta({ id: 'Deleted' });

export const FaceExample = z
  .object({ image_id: z.string().meta({ format: 'uuid' }), subject: z.string() })
  .meta({ id: 'FaceExample' });

export const FacesPage = z
  .object({
    faces: z.array(FaceExample),
    page_number: int,
    page_size: int,
    total_pages: int,
    total_elements: int,
  })
  .meta({ id: 'FacesPage' });

export const Embedding = z.array(num).min(1).meta({ id: 'Embedding' });
export const EmbeddingSimilarity = z
  .object({ embedding: Embedding, similarity: num })
  .meta({ id: 'EmbeddingSimilarity' });
export const EmbeddingsResult = z
  .object({ result: z.array(EmbeddingSimilarity) })
  .meta({ id: 'EmbeddingsResult' });
export const EmbeddingsRecognizeResponse = z
  .object({ result: z.array(z.object({ embedding: Embedding, similarities: z.array(SubjectMatch) })) })
  .meta({ id: 'EmbeddingsRecognizeResponse' });

export const ClientConfig = z
  .object({
    clientMaxFileSize: int.meta({ description: 'bytes' }),
    clientMaxBodySize: int.meta({ description: 'bytes' }),
  })
  .meta({ id: 'Config' });

export const ConsistenceStatus = z.object({
  demoFaceCollectionIsInconsistent: z.boolean(),
  saveImagesToDB: z.boolean(),
});

export type ApiErrorBody = z.infer<typeof ErrorBody>;
export type ApiFace = z.infer<typeof Face>;
export type RecognizeResponse = z.infer<typeof RecognizeResponse>;
export type DetectResponse = z.infer<typeof DetectResponse>;
export type VerifyImagesResponse = z.infer<typeof VerifyImagesResponse>;
export type FaceExample = z.infer<typeof FaceExample>;
export type FacesPage = z.infer<typeof FacesPage>;
export type SubjectMatch = z.infer<typeof SubjectMatch>;
export type ClientConfig = z.infer<typeof ClientConfig>;

export const BatchEnrolResponse = z
  .object({
    result: z.array(
      z.object({
        index: int,
        filename: z.string().optional(),
        image_id: z.string().meta({ format: 'uuid' }).optional(),
        subject: z.string().optional(),
        error: ErrorBody.optional().meta({
          description: "The item's own refusal, with the single endpoint's code.",
        }),
      }),
    ),
  })
  .meta({ id: 'BatchEnrolResponse' });

export const BatchVerifyResponse = z
  .object({
    result: z.array(
      z.object({
        index: int,
        similarity: num.optional(),
        source_box: Box.optional(),
        target_box: Box.optional(),
        error: ErrorBody.optional().meta({
          description: "The item's own refusal, with the single endpoint's code.",
        }),
      }),
    ),
  })
  .meta({ id: 'BatchVerifyResponse' });

export type BatchEnrolResponse = z.infer<typeof BatchEnrolResponse>;
export type BatchVerifyResponse = z.infer<typeof BatchVerifyResponse>;
