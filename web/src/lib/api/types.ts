// Wire shapes of CompreFace's face-service API (/api/v1), as the web app reads them, and the connections it keeps.
import type { z } from 'zod';
import type * as api from '../../../../shared/api/face-service.js';

export type ServiceType = 'recognition' | 'detection' | 'verification';
export const SERVICE_TYPES: readonly ServiceType[] = ['recognition', 'detection', 'verification'];

/** A service the pages work with: a key pasted on Connect, or one the admin pages handed over. */
export interface Connection {
  apiKey: string;
  type: ServiceType;
  /** A name the user chose, for telling keys apart. */
  label: string;
  /** The service's own min_similarity when known (admin pages); null or absent: not set or unknown. */
  minSimilarity?: number | null;
  /** The admin API's service id, when the key came from the admin pages (to follow new keys and deletion). */
  serviceId?: string;
  /** The application of that service (its id and name), for the service's pages and navigation. */
  app?: { id: string; name: string };
}

// The wire shapes are the server's contract (shared/api/face-service.ts), imported as types only.
/** One face as the API returns it; plugin fields appear when asked for through `face_plugins`. */
export type ApiFace = z.infer<typeof api.Face>;
export type SubjectMatch = z.infer<typeof api.SubjectMatch>;
export type RecognizeResponse = z.infer<typeof api.RecognizeResponse>;
export type DetectResponse = z.infer<typeof api.DetectResponse>;
export type VerifyResponse = z.infer<typeof api.VerifyImagesResponse>;
export type FaceExample = z.infer<typeof api.FaceExample>;
export type FacesPage = z.infer<typeof api.FacesPage>;
/** The body of every API error. */
export type ApiErrorBody = z.infer<typeof api.ErrorBody>;
/** `GET /api/v1/config`: the client-visible limits in bytes. */
export type ClientConfig = z.infer<typeof api.ClientConfig>;
