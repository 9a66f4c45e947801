// Wire shapes of CompreFace's face-service API (/api/v1), as the web app reads them.
import type { Age, FaceBox, Gender, Point, Pose } from '../../../../shared/engine/types.js';

export type ServiceType = 'recognition' | 'detection' | 'verification';
export const SERVICE_TYPES: readonly ServiceType[] = ['recognition', 'detection', 'verification'];

/** A service the user connected to by pasting its API key (kept in localStorage until the admin UI exists). */
export interface Connection {
  apiKey: string;
  type: ServiceType;
  /** A name the user chose, for telling keys apart. */
  label: string;
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
