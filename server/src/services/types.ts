// The contract between the HTTP routes and the services: what each face-service operation takes and returns.
// Services hold the rules and call repositories (the only SQL) and the engine; routes only translate HTTP.
import type { AnalyzeOptions, Age, FaceBox, FaceAnalysis, Point } from '../../../shared/engine/types.js';
import type { EmbedderInfo } from '../../../shared/engine/embedders.js';
import type { EmbedderJob } from '../../../shared/api/admin.js';
import type { z } from 'zod';

export type ServiceType = 'recognition' | 'detection' | 'verification';

/** A face service resolved from its API key. */
export interface ServiceRef {
  id: string;
  apiKey: string;
  type: ServiceType;
  name: string;
  /** Service-level minimum similarity for a match (0 = always return the nearest, like CompreFace). */
  minSimilarity: number;
  /**
   * The embedder key (`model@version`) its collection, recognition, verification and sync use (issue 17.1);
   * absent = the engine's own (services/service-embedder.ts embedderOf).
   */
  embedder?: string;
}

/** Query options common to image endpoints (CompreFace names, parsed by the route). */
export interface ImageQuery extends Pick<
  AnalyzeOptions,
  'detProbThreshold' | 'limit' | 'plugins' | 'detectFaces' | 'detectMode'
> {
  /** false drops execution_time and plugins_versions from the response. */
  status?: boolean;
}

/** An uploaded image: raw bytes plus the name it came with (for messages). */
export interface ImageInput {
  bytes: Uint8Array;
  filename?: string;
}

export interface SubjectMatch {
  subject: string;
  similarity: number;
}

/** One face in a response, already shaped like CompreFace's JSON (plugins flattened in). */
export type FaceResult = {
  box: FaceBox;
  landmarks?: Point[];
  embedding?: number[];
  execution_time?: Record<string, number>;
  /** Visor's stages beyond CompreFace's keys (ms, 0.1 precision). */
  visor_execution_time?: Record<string, number>;
  /** Visor's own age range (the `age` field holds CompreFace's bucket). */
  visor_age?: Age;
} & Partial<Omit<FaceAnalysis, 'box' | 'landmarks' | 'embedding' | 'execution_time'>>;

export interface Page<T> {
  items: T[];
  page: number;
  size: number;
  total: number;
  /** ceil(total / size). */
  totalPages: number;
}

export interface FaceExample {
  image_id: string;
  subject: string;
}

/** A service's embedder change as the admin API shows it (services/embedder-jobs.ts; shared/api/admin.ts `EmbedderJob`). */
export type EmbedderJobView = z.infer<typeof EmbedderJob>;

export interface StoredImage {
  bytes: Uint8Array;
  contentType: string;
}

export interface FaceServices {
  /** Resolves an API key to a service of `type`; throws ServiceNotFound / ValidationError (not a UUID). */
  resolveKey(apiKey: string, type: ServiceType): Promise<ServiceRef>;

  createSubject(svc: ServiceRef, subject: string): Promise<{ subject: string }>;
  listSubjects(svc: ServiceRef): Promise<string[]>;
  /** Renames, or merges into an existing subject of that name. */
  renameSubject(svc: ServiceRef, from: string, to: string): Promise<{ updated: boolean }>;
  deleteSubject(svc: ServiceRef, subject: string): Promise<{ subject: string }>;
  deleteAllSubjects(svc: ServiceRef): Promise<{ deleted: number }>;

  addExample(
    svc: ServiceRef,
    subject: string,
    image: ImageInput,
    q: { detProbThreshold?: number },
  ): Promise<FaceExample>;
  listExamples(
    svc: ServiceRef,
    q: { page: number; size: number; subject?: string },
  ): Promise<Page<FaceExample>>;
  /** Deletes the examples of `subject` (0 if it does not exist), or every example of the service when it is undefined/empty. */
  deleteExamplesBySubject(svc: ServiceRef, subject: string | undefined): Promise<{ deleted: number }>;
  deleteExample(svc: ServiceRef, imageId: string): Promise<FaceExample>;
  deleteExamples(svc: ServiceRef, imageIds: string[]): Promise<FaceExample[]>;
  /** The stored image of an example, or undefined (the route answers an empty body, as CompreFace). */
  getExampleImage(svc: ServiceRef, imageId: string): Promise<StoredImage | undefined>;
  /**
   * A JPEG of the example's image with its longer side at most `maxSide` pixels (never scaled up), upright, or
   * undefined when the example does not exist; UnsupportedImage when its stored image cannot be decoded.
   */
  getExampleThumbnail(svc: ServiceRef, imageId: string, maxSide: number): Promise<StoredImage | undefined>;

  recognize(
    svc: ServiceRef,
    image: ImageInput,
    q: ImageQuery & { predictionCount: number; minSimilarity?: number },
  ): Promise<{
    result: (FaceResult & { subjects: SubjectMatch[] })[];
    plugins_versions?: Record<string, string>;
  }>;
  verifyExample(
    svc: ServiceRef,
    imageId: string,
    image: ImageInput,
    q: ImageQuery,
  ): Promise<{
    result: (FaceResult & { subject: string; similarity: number })[];
    plugins_versions?: Record<string, string>;
  }>;
  detect(
    svc: ServiceRef,
    image: ImageInput,
    q: ImageQuery,
  ): Promise<{ result: FaceResult[]; plugins_versions?: Record<string, string> }>;
  verifyImages(
    svc: ServiceRef,
    source: ImageInput,
    target: ImageInput,
    q: ImageQuery,
  ): Promise<{
    result: {
      source_image_face: FaceResult;
      face_matches: (FaceResult & { similarity: number })[];
      plugins_versions?: Record<string, string>;
    }[];
  }>;

  recognizeEmbeddings(
    svc: ServiceRef,
    embeddings: number[][],
    q: { predictionCount: number; minSimilarity?: number },
  ): Promise<{ result: { embedding: number[]; similarities: SubjectMatch[] }[] }>;
  verifyEmbeddingsAgainstExample(
    svc: ServiceRef,
    imageId: string,
    embeddings: number[][],
  ): Promise<{ result: { embedding: number[]; similarity: number }[] }>;
  verifyEmbeddings(
    svc: ServiceRef,
    source: number[],
    targets: number[][],
  ): Promise<{ result: { embedding: number[]; similarity: number }[] }>;

  /** Creates an application + service and returns its API key (bootstrap CLI; the admin issue builds on it). */
  createService(input: {
    type: ServiceType;
    name: string;
    application?: string;
    /** A model id or key of `embedders()`; absent = the default. */
    embedder?: string;
  }): Promise<ServiceRef>;

  /** The embedders a service may choose on this server (issue 17.1). */
  embedders(): readonly EmbedderInfo[];
  /** The embedder a client named (id or key; undefined = the default); ValidationError names the choices. */
  chooseEmbedder(id: unknown): EmbedderInfo;
  /** Starts re-embedding the service's collection with another embedder (Conflict while one runs). */
  changeEmbedder(serviceId: string, embedder: unknown): Promise<EmbedderJobView>;
  /** The service's latest embedder job. */
  embedderJob(serviceId: string): Promise<EmbedderJobView | undefined>;
}
