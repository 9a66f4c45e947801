// The kiosk's tracked loop (shared/tracking.ts over the worker engine): the whole frame is detected only every
// `fullEvery` frames, when there is no track, or after a track was lost; otherwise each track is followed by the
// detector on a crop around its previous box. A track is embedded (on that crop) when it appears and again only
// when its quality improves or its identity gets old; its embeddings are fused into the identity it is named by.
// Each frame answers an AnalyzeResult whose faces carry their track's fused identity as the embedding.
import type { AnalyzeResult, FaceAnalysis } from '../../../shared/engine/types.js';
import { FaceTracker, faceQuality, type Track, type TrackerOptions } from '../../../shared/tracking.js';
import type { BrowserEngine } from '../lib/inference/browser-engine.js';

export type KioskLoop = 'tracked' | 'every-frame';
export const KIOSK_LOOPS: readonly KioskLoop[] = ['tracked', 'every-frame'];

export interface TrackedOptions extends TrackerOptions {
  /** Full-frame detection at least every this many frames (default 10), to find faces entering the view. */
  fullEvery?: number;
  /** Margin around a track's box for its crop, as a fraction of the box's larger side (default 0.6). */
  margin?: number;
}

interface Seen {
  face: FaceAnalysis;
  quality: number;
  box: FaceAnalysis['box'];
}

const add = (into: Record<string, number>, from: Record<string, number>) => {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
};

export class TrackedRecogniser {
  readonly tracker: FaceTracker;
  #frame = 0;
  #lost = false;
  readonly #fullEvery: number;
  readonly #margin: number;

  constructor(
    private readonly engine: Pick<BrowserEngine, 'analyzeBitmap' | 'similarity'>,
    options: TrackedOptions = {},
  ) {
    this.tracker = new FaceTracker(options);
    this.#fullEvery = options.fullEvery ?? 10;
    this.#margin = options.margin ?? 0.6;
  }

  /** Analyses one video frame (not closed here); `sameFace` decides whether an embedding fits a track. */
  async analyze(
    frame: ImageBitmap,
    now: number,
    sameFace: (a: Float32Array, b: Float32Array) => boolean,
  ): Promise<AnalyzeResult> {
    const stages: Record<string, number> = {};
    const full = this.#lost || this.tracker.tracks.length === 0 || this.#frame % this.#fullEvery === 0;
    this.#frame++;
    this.#lost = false;
    const faces = new Map<Track, FaceAnalysis>();
    if (full) {
      const r = await this.engine.analyzeBitmap(await createImageBitmap(frame), {
        embed: false,
        detectMode: 'fast',
      });
      add(stages, r.execution_time);
      const seen: Seen[] = r.faces.map((f) => ({
        face: f,
        box: f.box,
        quality: faceQuality(f.box, f.landmarks),
      }));
      const u = this.tracker.update(seen, now);
      for (const t of u.tracks) faces.set(t, u.detections.get(t.id)!.face);
      stages.full = 1;
    }
    // Follow (or embed) each track on a crop around its box; on a full frame only those needing an embedding.
    for (const track of [...this.tracker.tracks]) {
      const embed = this.tracker.needsEmbedding(track, now);
      if (full && (!faces.has(track) || !embed)) continue;
      const f = await this.#crop(frame, track, embed, stages);
      if (!f) {
        if (!full) {
          this.tracker.update([], now, [track]);
          this.#lost = true;
        }
        continue;
      }
      if (!full)
        this.tracker.update([{ face: f, box: f.box, quality: faceQuality(f.box, f.landmarks) }], now, [
          track,
        ]);
      if (f.embedding) this.tracker.addEmbedding(track, f.embedding, now, sameFace);
      faces.set(track, f);
    }
    stages.tracks = this.tracker.tracks.length;
    const out: FaceAnalysis[] = [];
    for (const [track, f] of faces)
      if (this.tracker.tracks.includes(track))
        out.push({ ...f, embedding: track.identity, execution_time: { ...f.execution_time } });
    return { faces: out, execution_time: stages, width: frame.width, height: frame.height };
  }

  reset(): void {
    this.tracker.clear();
    this.#frame = 0;
  }

  /** The biggest face in a crop around the track's box, in frame pixels; undefined when it is gone. */
  async #crop(
    frame: ImageBitmap,
    track: Track,
    embed: boolean,
    stages: Record<string, number>,
  ): Promise<FaceAnalysis | undefined> {
    const b = track.box;
    const m = this.#margin * Math.max(b.x_max - b.x_min, b.y_max - b.y_min);
    const x = Math.max(0, Math.floor(b.x_min - m));
    const y = Math.max(0, Math.floor(b.y_min - m));
    const w = Math.min(frame.width, Math.ceil(b.x_max + m)) - x;
    const h = Math.min(frame.height, Math.ceil(b.y_max + m)) - y;
    if (w < 8 || h < 8) return undefined;
    const r = await this.engine.analyzeBitmap(await createImageBitmap(frame, x, y, w, h), {
      embed,
      detectMode: 'fast',
      limit: 1,
    });
    add(stages, r.execution_time);
    const f = r.faces[0];
    if (!f) return undefined;
    add(stages, f.execution_time);
    const box = {
      ...f.box,
      x_min: f.box.x_min + x,
      y_min: f.box.y_min + y,
      x_max: f.box.x_max + x,
      y_max: f.box.y_max + y,
    };
    return { ...f, box, landmarks: f.landmarks.map(([px, py]) => [px + x, py + y]) };
  }
}
