// Wire shapes of CompreFace's face-service API (/api/v1), as the web app reads them.
import type { Age, FaceBox, Gender, Point, Pose } from '../../../../shared/engine/types.js';

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

/** One face as the API returns it; plugin fields appear when asked for through `face_plugins`. */
export interface ApiFace {
  box: FaceBox;
  landmarks?: Point[];
  age?: Age;
  gender?: Gender;
  pose?: Pose;
  emotion?: { value: string; probability: number };
  mask?: { value: string; probability: number };
  liveness?: { value: string; probability: number };
  embedding?: number[];
  execution_time?: Record<string, number>;
}

export interface SubjectMatch {
  subject: string;
  similarity: number;
}

export interface RecognizeResponse {
  result: (ApiFace & { subjects: SubjectMatch[] })[];
  plugins_versions?: Record<string, string>;
}
export interface DetectResponse {
  result: ApiFace[];
  plugins_versions?: Record<string, string>;
}
export interface VerifyResponse {
  result: {
    source_image_face: ApiFace;
    face_matches: (ApiFace & { similarity: number })[];
    plugins_versions?: Record<string, string>;
  }[];
}

export interface FaceExample {
  image_id: string;
  subject: string;
}
export interface FacesPage {
  faces: FaceExample[];
  page_number: number;
  page_size: number;
  total_pages: number;
  total_elements: number;
}

/** The body of every API error. */
export interface ApiErrorBody {
  message: string;
  code: number;
}
