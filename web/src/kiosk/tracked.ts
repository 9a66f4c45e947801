// The kiosk's tracked loop (shared/tracking.ts over the worker engine). The whole frame is never copied: every
// crop is drawn from the video element itself into a small reused canvas (crops.ts) and its pixels moved to the
// worker. Per frame:
// - follow: each track's square crop around its previous box, at the 128 px front-camera BlazeFace's input, goes
//   through that model alone (no verification, landmarks or embedding);
// - scan (every `fullEvery` frames, while nothing is tracked, and after a track was lost): the whole frame,
//   letterboxed to the detector's input, through the detector model alone; a face no track holds starts a track;
// - confirm and embed: a new track, one whose quality improved by 25 %, or one whose identity is 5 s old
//   (TrackerOptions.reembedAfterMs): the engine on a crop around it, given this frame's detection (no detector
//   pass: facemesh verification, 68 landmarks, alignment, embedding, AnalyzeOptions.candidates); a new track the
//   verifier rejects is dropped and its place ignored for a second. One embedding per frame: unnamed tracks
//   first, the best detection first, so a face is named in the frame that found it.
// Only confirmed tracks are shown, each named by the fused identity of its embeddings.
import type { AnalyzeResult, FaceAnalysis, Point } from '../../../shared/engine/types.js';
import { faceProbability, roundProbability } from '../../../shared/engine/face-probability.js';
import { fivePointsFromKeypoints } from '../../../shared/engine/landmarks.js';
import type { Candidate } from '../../../shared/engine/nms.js';
import {
  FaceTracker,
  faceQuality,
  iou,
  squareAround,
  type Detection,
  type Track,
  type TrackBox,
  type TrackerOptions,
} from '../../../shared/tracking.js';
import type { BrowserEngine } from '../lib/inference/browser-engine.js';
import { CropGrabber, type CropRect } from './crops.js';

export type KioskLoop = 'tracked' | 'every-frame';
export const KIOSK_LOOPS: readonly KioskLoop[] = ['tracked', 'every-frame'];

export interface TrackedOptions extends TrackerOptions {
  /** Scan the whole frame at least every this many frames (default 10), to find faces entering the view. */
  fullEvery?: number;
  /** Margin around a track's box for its crops, as a fraction of the box's larger side (default 0.6). */
  margin?: number;
  /** Raw BlazeFace score a scan or follow detection needs (default 0.5, the engine's own default threshold). */
  minScore?: number;
  /** Milliseconds a place the engine did not confirm as a face is ignored by scans (default 1000). */
  rejectMs?: number;
}

interface Seen extends Detection {
  landmarks: Point[];
  probability: number;
  /** The locator's detection in frame pixels (box and keypoints), given to the engine when the track is embedded. */
  candidate: Candidate;
}

/** Where a frame's pixels are grabbed from: the video element (or any drawable) and its size. */
export interface FrameSource {
  image: CanvasImageSource;
  width: number;
  height: number;
}

type Engine = Pick<BrowserEngine, 'analyze' | 'locate' | 'info'>;

const add = (into: Record<string, number>, key: string, ms: number) => (into[key] = (into[key] ?? 0) + ms);

/** The User Timing name of one kiosk frame (start to drawn), its `detail` the frame's stage milliseconds. */
export const FRAME_MEASURE = 'visor:kiosk-frame';

/**
 * Publishes a frame's stage timings as a User Timing measure, seen by PerformanceObservers (the bench) and the
 * browser's performance tools; the timeline entry is cleared at once so that a kiosk running for days keeps none.
 */
export function reportFrame(start: number, stages: Record<string, number>): void {
  performance.measure(FRAME_MEASURE, { start, detail: stages });
  performance.clearMeasures(FRAME_MEASURE);
}

export class TrackedRecogniser {
  readonly tracker: FaceTracker;
  #frame = 0;
  #lost = false;
  /** Tracks the engine confirmed as faces (shown), and places it rejected (ignored by scans until the time). */
  readonly #confirmed = new WeakSet<Track>();
  #rejected: { box: TrackBox; until: number }[] = [];
  /** Each track's last detection (its landmarks and probability for the overlay). */
  readonly #last = new WeakMap<Track, Seen>();
  readonly #o: Required<Omit<TrackedOptions, keyof TrackerOptions>>;
  readonly #crops = new CropGrabber();

  constructor(
    private readonly engine: Engine,
    options: TrackedOptions = {},
  ) {
    this.tracker = new FaceTracker({ reembedAfterMs: 5000, ...options });
    this.#o = {
      fullEvery: options.fullEvery ?? 10,
      margin: options.margin ?? 0.6,
      minScore: options.minScore ?? 0.5,
      rejectMs: options.rejectMs ?? 1000,
    };
  }

  /** Analyses the source's current frame; `sameFace` decides whether an embedding fits a track. */
  async analyze(
    frame: FrameSource,
    now: number,
    sameFace: (a: Float32Array, b: Float32Array) => boolean,
  ): Promise<AnalyzeResult> {
    const stages: Record<string, number> = {};
    const scan = this.#lost || this.tracker.tracks.length === 0 || this.#frame % this.#o.fullEvery === 0;
    this.#frame++;
    this.#lost = false;
    this.#rejected = this.#rejected.filter((r) => r.until > now);
    const seen = new Map<Track, Seen>();
    if (scan) await this.#scan(frame, now, seen, stages);
    else await this.#follow(frame, now, seen, stages);
    // One embedding per frame, so that no frame waits for several: an unnamed track first (the best detection
    // first: a face is named in the frame that found it, before a doubtful place is checked), else the track whose
    // quality improved or whose identity is old.
    const due = this.tracker.tracks.filter((t) => seen.has(t) && this.tracker.needsEmbedding(t, now));
    const score = (t: Track) => seen.get(t)!.candidate.score;
    const next = due.sort((a, b) => Number(!!a.identity) - Number(!!b.identity) || score(b) - score(a))[0];
    if (next) {
      await this.#embed(frame, next, seen.get(next)!, now, sameFace, stages);
      add(stages, 'embeds', 1);
    }
    stages.tracks = this.tracker.tracks.length;
    // A confirmed track stays in view at its last place while it misses (up to maxMisses frames): no flicker.
    for (const [track, s] of seen) this.#last.set(track, s);
    const faces: FaceAnalysis[] = [];
    for (const track of this.tracker.tracks) {
      const s = this.#last.get(track);
      if (s && this.#confirmed.has(track))
        faces.push({
          box: { probability: s.probability, ...roundBox(track.box) },
          landmarks: s.landmarks.map(([x, y]) => [Math.round(x), Math.round(y)]),
          embedding: track.identity,
          execution_time: {},
        });
    }
    return { faces, execution_time: stages, width: frame.width, height: frame.height };
  }

  reset(): void {
    this.tracker.clear();
    this.#frame = 0;
  }

  /** The whole frame, letterboxed, through the detector model: faces no track holds start tracks. */
  async #scan(frame: FrameSource, now: number, seen: Map<Track, Seen>, stages: Record<string, number>) {
    const side = this.engine.info.locators.scan;
    const long = Math.max(frame.width, frame.height);
    const rect = { x: (frame.width - long) / 2, y: (frame.height - long) / 2, side: long };
    let t = performance.now();
    const image = this.#crops.crop(frame.image, square(rect), side, side);
    add(stages, 'crop', performance.now() - t);
    t = performance.now();
    const r = await this.engine.locate('scan', [image], this.#o.minScore);
    add(stages, 'scan', performance.now() - t);
    add(stages, 'scanWorker', r.ms);
    const found = r.faces[0]
      .map((c) => toSeen(c, rect, side))
      .filter((s) => !this.#rejected.some((x) => iou(x.box, s.box) > 0.3));
    const u = this.tracker.update(found, now);
    for (const track of u.tracks) seen.set(track, u.detections.get(track.id)!);
    if (u.born.length) add(stages, 'born', u.born.length);
    if (u.died.length) this.#lost = true;
  }

  /** Each track's crop through the small front-camera model; a track whose face is not there misses. */
  async #follow(frame: FrameSource, now: number, seen: Map<Track, Seen>, stages: Record<string, number>) {
    const side = this.engine.info.locators.follow;
    const tracks = [...this.tracker.tracks];
    const rects = tracks.map((t) => squareAround(t.box, this.#o.margin));
    let t = performance.now();
    const images = rects.map((c) => this.#crops.crop(frame.image, square(c), side, side));
    add(stages, 'crop', performance.now() - t);
    t = performance.now();
    const r = await this.engine.locate('follow', images, this.#o.minScore);
    add(stages, 'follow', performance.now() - t);
    add(stages, 'followWorker', r.ms);
    tracks.forEach((track, i) => {
      const best = r.faces[i][0];
      const s = best && toSeen(best, rects[i], side);
      this.tracker.update(s ? [s] : [], now, [track]);
      if (s && track.box === s.box) seen.set(track, s);
      else this.#lost = true;
    });
  }

  /**
   * The engine on a crop around the track, given this frame's detection (no detector pass): confirms a new track
   * and embeds it (or drops it).
   */
  async #embed(
    frame: FrameSource,
    track: Track,
    seen: Seen,
    now: number,
    sameFace: (a: Float32Array, b: Float32Array) => boolean,
    stages: Record<string, number>,
  ): Promise<void> {
    const c = squareAround(track.box, this.#o.margin);
    const x = Math.max(0, Math.floor(c.x));
    const y = Math.max(0, Math.floor(c.y));
    const w = Math.min(frame.width, Math.ceil(c.x + c.side)) - x;
    const h = Math.min(frame.height, Math.ceil(c.y + c.side)) - y;
    const t = performance.now();
    const { candidate: c0 } = seen;
    const shift = ([px, py]: Point): Point => [px - x, py - y];
    const candidate: Candidate = {
      score: c0.score,
      x1: c0.x1 - x,
      y1: c0.y1 - y,
      x2: c0.x2 - x,
      y2: c0.y2 - y,
      keypoints: c0.keypoints.map(shift),
    };
    const r =
      w >= 8 && h >= 8
        ? await this.engine.analyze(
            this.#crops.crop(frame.image, { x, y, width: w, height: h }, w, h),
            { embed: true, candidates: [candidate] },
            true,
          )
        : undefined;
    add(stages, 'embed', performance.now() - t);
    for (const [k, v] of Object.entries({ ...r?.execution_time, ...r?.faces[0]?.execution_time }))
      add(stages, k, v);
    const embedding = r?.faces[0]?.embedding;
    if (!embedding) {
      if (!this.#confirmed.has(track)) {
        add(stages, 'rejected', 1);
        this.tracker.remove(track);
        this.#rejected.push({ box: track.box, until: now + this.#o.rejectMs });
      }
      return;
    }
    this.#confirmed.add(track);
    this.tracker.addEmbedding(track, embedding, now, sameFace);
  }
}

const square = (c: { x: number; y: number; side: number }): CropRect => ({
  x: c.x,
  y: c.y,
  width: c.side,
  height: c.side,
});

const roundBox = (b: TrackBox): TrackBox => ({
  x_min: Math.round(b.x_min),
  y_min: Math.round(b.y_min),
  x_max: Math.round(b.x_max),
  y_max: Math.round(b.y_max),
});

/** A locator candidate (input pixels of a `side`-pixel square over `rect`) in frame pixels, with its quality. */
function toSeen(c: Candidate, rect: { x: number; y: number; side: number }, side: number): Seen {
  const k = rect.side / side;
  const at = ([px, py]: Point): Point => [rect.x + px * k, rect.y + py * k];
  const [x_min, y_min] = at([c.x1, c.y1]);
  const [x_max, y_max] = at([c.x2, c.y2]);
  const box = { x_min, y_min, x_max, y_max };
  const keypoints = c.keypoints.map(at);
  const landmarks = keypoints.length >= 4 ? fivePointsFromKeypoints(keypoints) : [];
  return {
    box,
    candidate: { x1: x_min, y1: y_min, x2: x_max, y2: y_max, score: c.score, keypoints },
    landmarks,
    quality: faceQuality(box, landmarks),
    probability: roundProbability(faceProbability(c.score)),
  };
}
