// The face engine's public contract: what the server, the CLI and the browser call. Pure types, no runtime.
import type { RawImage } from '../image.js';
import type { Calibration } from './similarity.js';

export type Point = [number, number];

/**
 * A face a locator found (the shape of nms.ts's Candidate): corners in image pixels, the raw score, the keypoints
 * (BlazeFace's six, eyes first; may be empty).
 */
export interface LocatedFace {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  score: number;
  keypoints: Point[];
}

/** An embedder a face service may choose (shared/engine/embedders.ts lists them). */
export interface EmbedderInfo {
  /** Manifest model id, e.g. `faceapi-recognition`. */
  model: string;
  /** Pipeline version its embeddings were made with. */
  version: number;
  /** `<model>@<version>`: what embeddings, sync and the search index are keyed by. */
  key: string;
  /** Embedding size. */
  dim: number;
  description: string;
  /** Similarity 0.5 at this model's equal-error distance (shared/engine/calibration.ts or the pack's JSON). */
  calibration: Calibration;
  /** The embedder a service gets when none is chosen. */
  default: boolean;
}

/** A face box in original-image pixels (CompreFace's field names). */
export interface FaceBox {
  probability: number;
  x_min: number;
  y_min: number;
  x_max: number;
  y_max: number;
}

export interface Age {
  low: number;
  high: number;
  probability: number;
}
export interface Gender {
  value: 'male' | 'female';
  probability: number;
}
export interface Pose {
  pitch: number;
  roll: number;
  yaw: number;
}

/** Plugin names a caller may ask for; other names are ignored, as CompreFace ignores them. */
export const PLUGINS = [
  'landmarks',
  'age',
  'gender',
  'pose',
  'calculator',
  'emotion',
  'liveness',
  'landmarks3d',
  'quality',
  'mask',
] as const;
export type PluginName = (typeof PLUGINS)[number];

export interface FaceAnalysis {
  box: FaceBox;
  /** Five points: left eye, right eye, nose, mouth left, mouth right (original-image pixels). */
  landmarks: Point[];
  /** L2-normalised embedding; present when requested (recognition always asks for it). */
  embedding?: Float32Array;
  age?: Age;
  gender?: Gender;
  pose?: Pose;
  emotion?: { value: string; probability: number; scores: Record<string, number> };
  liveness?: { value: 'real' | 'spoof'; probability: number };
  landmarks3d?: [number, number, number][];
  quality?: { score: number; acceptable: boolean; reasons: string[]; face_size: number; sharpness: number };
  mask?: { value: 'without_mask' | 'with_mask' | 'mask_weared_incorrect'; probability: number };
  /** Milliseconds per stage/plugin for this face (detector time is shared and reported once per image). */
  execution_time: Record<string, number>;
}

/**
 * How hard the detector looks: `accurate` (the default) searches an image pyramid sized by the photo and the faces
 * found, for small faces in crowds; `fast` is one whole-image pass plus one level of tiles on big photos (kiosks).
 */
export type DetectMode = 'fast' | 'accurate';
export const DETECT_MODES: readonly DetectMode[] = ['fast', 'accurate'];

export interface AnalyzeOptions {
  /** Faces with probability at or below this are dropped; undefined = the detector's default. */
  detProbThreshold?: number;
  /** Detection plan (default 'accurate'). */
  detectMode?: DetectMode;
  /** 0 or undefined = all faces, else the N biggest. */
  limit?: number;
  /** Compute embeddings (recognition, verification, calculator plugin). */
  embed?: boolean;
  plugins?: readonly PluginName[];
  /** false: the whole image is one face (CompreFace's detect_faces=false). */
  detectFaces?: boolean;
  /**
   * Faces already located (image pixels, BlazeFace keypoints optional): the detector is skipped, these are checked
   * by the verifier (when the engine has one), then landmarked, aligned and embedded. The kiosk names a new track
   * from its scan's detection this way.
   */
  candidates?: readonly LocatedFace[];
  /**
   * Embedder model (`faceapi-recognition`, or a key `faceapi-recognition@1`) for the embeddings; undefined = the
   * engine's own (`embedderId`). A face service passes its own (shared/engine/embedders.ts).
   */
  embedder?: string;
}

export interface AnalyzeResult {
  faces: FaceAnalysis[];
  /** Milliseconds per stage for the whole image (decode is the caller's). */
  execution_time: Record<string, number>;
  width: number;
  height: number;
}

export interface FaceEngine {
  /** Identifies the embedder (e.g. `face-api-resnet128@1`); stored with every embedding. */
  readonly embedderId: string;
  readonly embeddingSize: number;
  /** The embedders a face service may choose (`AnalyzeOptions.embedder`), this engine's own included. */
  readonly embedders?: readonly EmbedderInfo[];
  /** Version string per plugin/stage, for CompreFace's `plugins_versions`. */
  readonly versions: Record<string, string>;
  analyze(image: RawImage, opts?: AnalyzeOptions): Promise<AnalyzeResult>;
  /** Decode and analyse encoded image bytes in one step, off the caller's thread (the server's worker pool). */
  analyzeBytes?(
    bytes: Uint8Array,
    opts?: AnalyzeOptions,
    decode?: { maxPixels?: number; maxSide?: number; maxImageSide?: number },
  ): Promise<AnalyzeResult>;
  /** Calibrated similarity in [0,1] of two L2-normalised embeddings (0.5 = equal-error point on LFW devtrain). */
  similarity(a: Float32Array, b: Float32Array): number;
  dispose(): Promise<void>;
}
