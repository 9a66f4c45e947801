// Face tracking for live video (the kiosk): detections are associated with the tracks of the previous frames
// (IoU, then centre distance), tracks are born and die, each track is embedded once when it appears and again
// only when its quality improves or its identity gets old, and its embeddings are fused into one identity.
// Pure maths over plain objects: no clock, no engine; the caller passes `now` and the similarity function.
import type { Point } from './engine/types.js';

export interface TrackBox {
  x_min: number;
  y_min: number;
  x_max: number;
  y_max: number;
}

export interface Detection {
  box: TrackBox;
  /** Higher is better (faceQuality); decides whether a track is worth embedding again. */
  quality: number;
}

export interface Track {
  readonly id: number;
  box: TrackBox;
  quality: number;
  /** Consecutive updates without a detection. */
  misses: number;
  bornAt: number;
  /** L2-normalised fusion of the track's embeddings; undefined until the first one. */
  identity?: Float32Array;
  /** Sum of the fused embeddings' weights (their qualities). */
  weight: number;
  /** Quality of the best embedded frame, and when the track was last embedded. */
  embeddedQuality: number;
  embeddedAt: number;
  embeddings: number;
}

export interface TrackerOptions {
  /** A detection joins a track when their IoU reaches this (default 0.3)... */
  minIou?: number;
  /** ...or when their centres are closer than this fraction of the track box's larger side (default 0.5). */
  maxCentreShift?: number;
  /** Updates a track survives without a detection (default 2). */
  maxMisses?: number;
  /** Re-embed when the quality beats the best embedded frame's by this factor (default 1.25)... */
  reembedGain?: number;
  /** ...or when the last embedding is this old, in ms (default 3000). */
  reembedAfterMs?: number;
}

export interface TrackUpdate<D extends Detection> {
  /** Each detection's track (new or continued), in the detections' order. */
  tracks: Track[];
  born: Track[];
  died: Track[];
  /** The detections, by track id. */
  detections: Map<number, D>;
}

const area = (b: TrackBox) => Math.max(0, b.x_max - b.x_min) * Math.max(0, b.y_max - b.y_min);

export function iou(a: TrackBox, b: TrackBox): number {
  const inter = area({
    x_min: Math.max(a.x_min, b.x_min),
    y_min: Math.max(a.y_min, b.y_min),
    x_max: Math.min(a.x_max, b.x_max),
    y_max: Math.min(a.y_max, b.y_max),
  });
  const union = area(a) + area(b) - inter;
  return union > 0 ? inter / union : 0;
}

/** Distance between the boxes' centres relative to the larger side of `a`. */
export function centreShift(a: TrackBox, b: TrackBox): number {
  const dx = (a.x_min + a.x_max - b.x_min - b.x_max) / 2;
  const dy = (a.y_min + a.y_max - b.y_min - b.y_max) / 2;
  const side = Math.max(a.x_max - a.x_min, a.y_max - a.y_min, 1e-9);
  return Math.hypot(dx, dy) / side;
}

/**
 * Greedy one-to-one association: pairs by IoU (highest first) at or above `minIou`, then the remaining pairs by
 * centre shift (smallest first) below `maxCentreShift`. Returns [trackIndex, detectionIndex] pairs.
 */
export function associate(
  tracks: readonly TrackBox[],
  detections: readonly TrackBox[],
  minIou = 0.3,
  maxCentreShift = 0.5,
): [number, number][] {
  const pairs: [number, number][] = [];
  const usedT = new Set<number>();
  const usedD = new Set<number>();
  const pass = (score: (t: number, d: number) => number, ok: (s: number) => boolean, desc: boolean) => {
    const cands: [number, number, number][] = [];
    tracks.forEach((_, t) =>
      detections.forEach((_, d) => {
        if (usedT.has(t) || usedD.has(d)) return;
        const s = score(t, d);
        if (ok(s)) cands.push([s, t, d]);
      }),
    );
    cands.sort((x, y) => (desc ? y[0] - x[0] : x[0] - y[0]));
    for (const [, t, d] of cands) {
      if (usedT.has(t) || usedD.has(d)) continue;
      usedT.add(t);
      usedD.add(d);
      pairs.push([t, d]);
    }
  };
  pass(
    (t, d) => iou(tracks[t], detections[d]),
    (s) => s >= minIou,
    true,
  );
  pass(
    (t, d) => centreShift(tracks[t], detections[d]),
    (s) => s < maxCentreShift,
    false,
  );
  return pairs;
}

/** The square around the box's centre whose side is the box's larger side plus `margin` of it on each side. */
export function squareAround(b: TrackBox, margin: number): { x: number; y: number; side: number } {
  const side = Math.max(b.x_max - b.x_min, b.y_max - b.y_min) * (1 + 2 * margin);
  return { x: (b.x_min + b.x_max - side) / 2, y: (b.y_min + b.y_max - side) / 2, side };
}

/**
 * A frame's quality for recognition: the face's size (square root of the box area, in pixels) times its
 * frontality from the five landmarks (1 when the nose sits midway between the eyes, 0 when on one of them).
 */
export function faceQuality(box: TrackBox, landmarks: readonly Point[]): number {
  const size = Math.sqrt(area(box));
  if (landmarks.length < 3) return size;
  const [le, re, nose] = landmarks;
  const dl = Math.hypot(nose[0] - le[0], nose[1] - le[1]);
  const dr = Math.hypot(nose[0] - re[0], nose[1] - re[1]);
  const frontal = dl + dr > 0 ? 1 - Math.abs(dl - dr) / (dl + dr) : 0;
  return size * frontal;
}

/** The quality-weighted mean of L2-normalised embeddings, normalised again. */
export function fuseEmbedding(
  fused: Float32Array | undefined,
  weight: number,
  next: Float32Array,
  nextWeight: number,
): Float32Array {
  const out = new Float32Array(next.length);
  for (let i = 0; i < out.length; i++) out[i] = (fused ? fused[i] * weight : 0) + next[i] * nextWeight;
  let n = 0;
  for (const v of out) n += v * v;
  n = Math.sqrt(n) || 1;
  for (let i = 0; i < out.length; i++) out[i] /= n;
  return out;
}

export class FaceTracker {
  readonly tracks: Track[] = [];
  #nextId = 1;
  readonly #o: Required<TrackerOptions>;

  constructor(options: TrackerOptions = {}) {
    this.#o = {
      minIou: 0.3,
      maxCentreShift: 0.5,
      maxMisses: 2,
      reembedGain: 1.25,
      reembedAfterMs: 3000,
      ...options,
    };
  }

  /**
   * One frame's detections (over the whole frame, or only around `scope`'s tracks: tracks outside scope are
   * neither matched nor aged). Unmatched detections start tracks; tracks missed more than maxMisses times die.
   */
  update<D extends Detection>(
    detections: readonly D[],
    now: number,
    scope?: readonly Track[],
  ): TrackUpdate<D> {
    const candidates = scope ?? this.tracks;
    const pairs = associate(
      candidates.map((t) => t.box),
      detections.map((d) => d.box),
      this.#o.minIou,
      this.#o.maxCentreShift,
    );
    const out: TrackUpdate<D> = { tracks: [], born: [], died: [], detections: new Map() };
    const byDetection = new Map(pairs.map(([t, d]) => [d, candidates[t]]));
    for (const t of candidates) if (!pairs.some(([i]) => candidates[i] === t)) t.misses++;
    detections.forEach((det, d) => {
      let track = byDetection.get(d);
      if (track) {
        track.box = det.box;
        track.quality = det.quality;
        track.misses = 0;
      } else {
        track = {
          id: this.#nextId++,
          box: det.box,
          quality: det.quality,
          misses: 0,
          bornAt: now,
          weight: 0,
          embeddedQuality: 0,
          embeddedAt: -Infinity,
          embeddings: 0,
        };
        this.tracks.push(track);
        out.born.push(track);
      }
      out.tracks.push(track);
      out.detections.set(track.id, det);
    });
    for (let i = this.tracks.length - 1; i >= 0; i--)
      if (this.tracks[i].misses > this.#o.maxMisses) out.died.push(...this.tracks.splice(i, 1));
    return out;
  }

  /** Whether the track is worth an embedding now: never embedded, clearly better quality, or identity too old. */
  needsEmbedding(track: Track, now: number): boolean {
    if (!track.identity) return true;
    if (track.quality > track.embeddedQuality * this.#o.reembedGain) return true;
    return now - track.embeddedAt >= this.#o.reembedAfterMs;
  }

  /**
   * Adds an embedding of the track's current frame. When `sameFace` says it does not match the track's fused
   * identity, someone else stands in the track's place: the identity restarts from this embedding.
   */
  addEmbedding(
    track: Track,
    embedding: Float32Array,
    now: number,
    sameFace?: (a: Float32Array, b: Float32Array) => boolean,
  ): void {
    const w = Math.max(track.quality, 1e-6);
    if (track.identity && sameFace && !sameFace(track.identity, embedding)) {
      track.identity = undefined;
      track.weight = 0;
      track.embeddedQuality = 0;
      track.embeddings = 0;
    }
    track.identity = fuseEmbedding(track.identity, track.weight, embedding, w);
    track.weight += w;
    track.embeddedQuality = Math.max(track.embeddedQuality, track.quality);
    track.embeddedAt = now;
    track.embeddings++;
  }

  /** Ends a track at once (e.g. a detection the caller's confirmation rejected). */
  remove(track: Track): void {
    const i = this.tracks.indexOf(track);
    if (i >= 0) this.tracks.splice(i, 1);
  }

  clear(): void {
    this.tracks.length = 0;
  }
}

/**
 * The best of one track's frames (webcam enrolment): the first frame offered opens a window of `windowMs` or
 * `maxFrames` frames; a frame whose box is not the same face's (neither IoU ≥ 0.3 nor centre shift < 0.5 against
 * the last one) starts a new window; when the window closes, `offer` answers the best frame (highest quality).
 */
export class BestOfTrack<T> {
  #best: { item: T; quality: number } | undefined;
  #box: TrackBox | undefined;
  #openedAt = 0;
  #frames = 0;

  constructor(
    readonly windowMs = 1500,
    readonly maxFrames = 5,
  ) {}

  /** Frames offered in the open window. */
  get frames(): number {
    return this.#frames;
  }

  offer(item: T, box: TrackBox, quality: number, now: number): T | undefined {
    if (!this.#best || !this.#sameFace(box)) {
      this.#best = { item, quality };
      this.#openedAt = now;
      this.#frames = 0;
    } else if (quality > this.#best.quality) this.#best = { item, quality };
    this.#box = box;
    this.#frames++;
    if (this.#frames < this.maxFrames && now - this.#openedAt < this.windowMs) return undefined;
    const best = this.#best.item;
    this.reset();
    return best;
  }

  reset(): void {
    this.#best = undefined;
    this.#box = undefined;
    this.#frames = 0;
  }

  #sameFace(box: TrackBox): boolean {
    return !!this.#box && (iou(this.#box, box) >= 0.3 || centreShift(this.#box, box) < 0.5);
  }
}
