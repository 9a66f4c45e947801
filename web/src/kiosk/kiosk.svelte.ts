// The webcam recognition loop: grabs a frame, runs the in-browser engine on it (worker), names each face
// from the local collection when the similarity clears the threshold, draws the frame it analysed with the
// boxes, measures frames per second, queues recognition events, and enrols from the camera behind gating. Every
// path analyses a camera frame once: it waits for one the camera has not given it yet (fresh-frames.ts).
// When its service switches embedder, a sync notices, pulls the collection afresh, loads the new model and swaps
// engine and gallery between two frames: a frame is never compared with another model's vectors. Enrolments still
// queued under the old model are re-embedded with the new one before they are pushed (reembed.ts).
import type { AnalyzeResult, FaceAnalysis } from '../../../shared/engine/types.js';
import { BestOfTrack } from '../../../shared/tracking.js';
import { CALIBRATED_THRESHOLD } from '../../../shared/match.js';
import { embedderModel } from '../../../shared/engine/embedders.js';
import { BrowserEngine, describeChoice, type EngineOptions } from '../lib/inference/browser-engine.js';
import { addDeviceExample, countPendingExamples } from '../lib/db/examples.js';
import { countQueuedEvents, recordEvent } from '../lib/db/events.js';
import { serviceEmbedder, syncCollection, type SyncTarget } from '../lib/db/sync.js';
import { forgetCursor, serviceEngineOptions, withEmbedder } from './service-engine.js';
import { drawFaces, type DrawSource } from '../lib/overlay/draw.js';
import { plainOverlay, type OverlayFace } from '../lib/overlay/faces.js';
import { ENROL_PLUGINS, gateEnrolment } from './enrolment.js';
import { FreshFrames } from './fresh-frames.js';
import { describeReembedded, otherModelQueued, reembedQueued, type Reembedded } from './reembed.js';
import { Gallery, type Match } from './gallery.js';
import { isMatch } from '../../../shared/match.js';
import {
  KIOSK_LOOPS,
  TrackedRecogniser,
  reportFrame,
  type KioskLoop,
  type TrackedOptions,
} from './tracked.js';

export interface KioskOptions {
  /** The local collection (Dexie) to recognise against and enrol into. */
  collection: string;
  /** Calibrated similarity a match must reach when the service sets none (shared/match.ts). */
  threshold: number;
  engine?: EngineOptions;
  /** Seconds between two events for the same subject (or for unknown faces). */
  eventGap?: number;
  /** Sync the collection with this recognition service (on start, when back online, every `syncEvery` s). */
  sync?: SyncTarget;
  syncEvery?: number;
  /** Minimum liveness ("real") probability an enrolment frame needs (default MIN_LIVENESS). */
  minLiveness?: number;
  /**
   * 'tracked' (default): faces are followed between full-frame detections and embedded only when a track appears
   * or improves (tracked.ts); 'every-frame': the old loop, every frame detected and embedded. A page's
   * `?loop=every-frame` query picks it too (the bench measures both).
   */
  loop?: KioskLoop;
  tracking?: TrackedOptions;
}

/** The loop a `?loop=` query asks for, if it names one. */
function loopFromQuery(): KioskLoop | undefined {
  if (typeof location === 'undefined') return undefined;
  const q = new URLSearchParams(location.search).get('loop');
  return KIOSK_LOOPS.find((l) => l === q);
}

export interface SeenFace {
  name: string | null;
  similarity: number;
}

const pct = (p: number) => `${Math.round(p * 100)}%`;

export class KioskState {
  status = $state<'idle' | 'loading' | 'running' | 'error'>('idle');
  error = $state('');
  fps = $state(0);
  /** Per-stage milliseconds of the last frame (engine stages + the worker round trip). */
  stages = $state<Record<string, number>>({});
  faces = $state<SeenFace[]>([]);
  backend = $state('');
  /** The backend chosen and why (fallbacks taken, thread count): ort.ts describeChoice. */
  runtime = $state('');
  /** Recognition events not yet pushed to the service. */
  queued = $state(0);
  /** Enrolments made here not yet pushed (those held back for re-embedding under another model included). */
  queuedEnrolments = $state(0);
  enrolName = $state('');
  enrolMessage = $state('');
  enrolling = $state(false);
  enrolled = $state(0);
  online = $state(typeof navigator === 'undefined' ? true : navigator.onLine);
  syncMessage = $state('');
  /** While the service's new embedder is being loaded: what is happening, for the operator. */
  engineChange = $state('');
  /** The threshold in force: the service's when sync says it has one, else the option. */
  threshold = $state(CALIBRATED_THRESHOLD);
  /** Presentation mode: boxes only, no names, figures or landmarks on the camera image. */
  plain = false;

  #engine: BrowserEngine | undefined;
  #tracked: TrackedRecogniser | undefined;
  /** The camera frames already analysed: each path waits for a new one. */
  readonly #fresh = new FreshFrames();
  /** Enrolment keeps the best gated frame of one face over a short window (shared/tracking.ts). */
  readonly #enrolBest = new BestOfTrack<{ face: FaceAnalysis; thumbnail: Blob }>(1500, 5);
  /** The loop in force ('tracked' or 'every-frame'). */
  readonly loop: KioskLoop;
  #gallery: Gallery | undefined;
  readonly #matches = new WeakMap<
    Float32Array,
    { gallery: Gallery; key: string; match: Match | undefined }
  >();
  #stream: MediaStream | undefined;
  #running = false;
  #frames: number[] = [];
  #lastEvent = new Map<string, number>();
  #syncing: Promise<void> | undefined;
  /** The waiting enrolments the running engine's model could not re-embed, and why (reembed.ts). */
  #notReembedded = { model: '', failed: new Map<string, string>() };
  /** The loop's frame in progress, and the gate it waits at while the engine is swapped. */
  #turn: Promise<void> | undefined;
  #gate: Promise<void> | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;
  #onOnline = () => {
    this.online = true;
    void this.syncNow();
  };
  #onOffline = () => (this.online = false);

  constructor(readonly options: KioskOptions) {
    this.threshold = options.threshold;
    this.loop = options.loop ?? loopFromQuery() ?? 'tracked';
  }

  /** Pulls then pushes once (no-op without a sync target or while one runs); failures only set syncMessage. */
  syncNow(): Promise<void> {
    const target = this.options.sync;
    if (!target || !this.#engine) return Promise.resolve();
    this.#syncing ??= (async () => {
      const { collection } = this.options;
      try {
        // the service may have switched embedder since this engine started: then everything is pulled again
        const model = await serviceEmbedder(target);
        const changed = model !== embedderModel(this.#engine!.embedderId);
        if (changed) {
          this.engineChange = `The service now compares faces with ${model}: loading it and pulling the collection again…`;
          await forgetCursor(collection);
        }
        const r = await syncCollection(collection, target);
        if (r.threshold !== null) this.threshold = r.threshold;
        // until the swap, the running engine keeps the gallery it loaded: both of the old model
        if (changed) await this.#changeEngine(model);
        else if (r.pulledExamples || r.removedExamples)
          this.#gallery = await Gallery.load(collection, this.#engine!);
        // enrolments queued under the old model were not pushed: re-embedded with this engine, then pushed
        const again = r.otherModelExamples ? await this.#reembedQueued(model) : undefined;
        const pushed =
          r.pushedExamples +
          (again?.done.length ? (await syncCollection(collection, target)).pushedExamples : 0);
        await this.#countQueued();
        this.syncMessage = `${changed ? `Now comparing with ${model}. ` : ''}${again ? `${describeReembedded(again, model)} ` : ''}Synced at ${new Date().toLocaleTimeString()}: ${r.pulledExamples} examples in, ${pushed} examples and ${r.pushedEvents} events out.`;
      } catch (e) {
        this.syncMessage = `Not synced (${navigator.onLine ? (e as Error).message : 'offline'}); will retry.`;
      } finally {
        this.engineChange = '';
        this.#syncing = undefined;
      }
    })();
    return this.#syncing;
  }

  /**
   * Loads `model` in a new engine with its gallery, then swaps them in between two frames (the loop waits at the
   * gate meanwhile) and disposes of the old engine. On failure the old engine and gallery stay (the next sync
   * tries again).
   */
  async #changeEngine(model: string): Promise<void> {
    const engine = await BrowserEngine.create({
      ...withEmbedder(this.options.engine, model),
      preload: [...ENROL_PLUGINS],
    });
    let open = () => {};
    try {
      const gallery = await Gallery.load(this.options.collection, engine);
      this.#gate = new Promise<void>((resolve) => (open = resolve));
      this.#fresh.wake(); // a loop waiting for the camera's next frame stops waiting
      await this.#turn;
      const old = this.#engine;
      if (!old) throw new Error('the kiosk stopped');
      this.#engine = engine;
      this.#gallery = gallery;
      if (this.#tracked) this.#tracked = new TrackedRecogniser(engine, this.options.tracking);
      this.#enrolBest.reset();
      this.faces = [];
      this.#describe(engine);
      void old.dispose();
    } catch (e) {
      await engine.dispose();
      throw e;
    } finally {
      this.#gate = undefined;
      open();
    }
  }

  /**
   * Re-embeds the enrolments queued under another model than the running engine's (the service's) from their kept
   * photos, saying so over the camera, and adds them to the gallery (reembed.ts). Undefined when there were none.
   */
  async #reembedQueued(model: string): Promise<Reembedded | undefined> {
    const engine = this.#engine!;
    const rows = await otherModelQueued(this.options.collection, engine);
    if (!rows.length) return undefined;
    if (this.#notReembedded.model !== engine.embedderId)
      this.#notReembedded = { model: engine.embedderId, failed: new Map() };
    const r = await reembedQueued(
      rows,
      engine,
      (i, n) => {
        this.engineChange = `Re-embedding ${n} waiting enrolment${n === 1 ? '' : 's'} for ${model}… (${i + 1} of ${n})`;
      },
      this.#notReembedded.failed,
    );
    if (this.#engine === engine) for (const d of r.done) this.#gallery?.add(d.subject, d.embedding);
    return r;
  }

  #describe(engine: BrowserEngine): void {
    this.backend = `${engine.info.runtime.backend}${engine.info.runtime.threads > 1 ? ` ×${engine.info.runtime.threads}` : ''}`;
    this.runtime = describeChoice(engine.info.runtime);
  }

  async start(video: HTMLVideoElement, canvas: HTMLCanvasElement): Promise<void> {
    this.status = 'loading';
    try {
      const [engine, stream] = await Promise.all([
        // a synced kiosk loads the embedder its service compares (issue 17.1)
        serviceEngineOptions(this.options.engine, this.options.collection, this.options.sync).then((o) =>
          BrowserEngine.create({ ...o, preload: [...ENROL_PLUGINS] }),
        ),
        navigator.mediaDevices.getUserMedia({
          video: { width: { ideal: 640 }, height: { ideal: 480 } },
          audio: false,
        }),
      ]);
      this.#engine = engine;
      if (this.loop === 'tracked') this.#tracked = new TrackedRecogniser(engine, this.options.tracking);
      this.#stream = stream;
      this.#describe(engine);
      await this.syncNow();
      this.#gallery ??= await Gallery.load(this.options.collection, engine);
      await this.#countQueued();
      if (this.options.sync) {
        addEventListener('online', this.#onOnline);
        addEventListener('offline', this.#onOffline);
        this.#timer = setInterval(() => void this.syncNow(), (this.options.syncEvery ?? 30) * 1000);
      }
      video.srcObject = stream;
      video.muted = true;
      await video.play();
      this.status = 'running';
      this.#running = true;
      void this.#loop(video, canvas);
    } catch (e) {
      this.status = 'error';
      this.error = (e as Error).message;
      await this.stop();
    }
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#fresh.close();
    clearInterval(this.#timer);
    removeEventListener('online', this.#onOnline);
    removeEventListener('offline', this.#onOffline);
    for (const t of this.#stream?.getTracks() ?? []) t.stop();
    this.#stream = undefined;
    await this.#engine?.dispose();
    this.#engine = undefined;
  }

  /** Asks the loop to enrol the next frame that passes the gate under `enrolName`. */
  requestEnrolment(): void {
    const name = this.enrolName.trim();
    if (!name) {
      this.enrolMessage = 'Type the person’s name first.';
      return;
    }
    if (this.engineChange) {
      this.enrolMessage = 'Wait a moment: the face engine is being changed.';
      return;
    }
    this.enrolling = true;
    this.#enrolBest.reset();
    this.enrolMessage = 'Look at the camera…';
  }

  cancelEnrolment(): void {
    this.enrolling = false;
    this.enrolMessage = '';
  }

  async #loop(video: HTMLVideoElement, canvas: HTMLCanvasElement): Promise<void> {
    while (this.#running && this.#engine) {
      if (this.#gate) {
        await this.#gate;
        continue;
      }
      this.#turn = this.#frame(this.#engine, video, canvas).catch(async (e: unknown) => {
        if (!this.#running) return;
        this.error = (e as Error).message;
        await new Promise((r) => setTimeout(r, 500));
      });
      await this.#turn;
    }
  }

  async #frame(engine: BrowserEngine, video: HTMLVideoElement, canvas: HTMLCanvasElement): Promise<void> {
    if (video.readyState < 2) return new Promise((r) => setTimeout(r, 50));
    // stop() and an engine swap wake a loop waiting for the camera; one that came before the wait is seen here
    if (!this.#running || this.#gate) return;
    const taken = await this.#fresh.next(video);
    if (taken === 'woken') return;
    // Enrolment needs the quality and liveness plugins on the frame itself: the every-frame path.
    if (this.#tracked && !this.enrolling) return this.#trackedFrame(engine, this.#tracked, video, canvas);
    this.#tracked?.reset();
    const start = performance.now();
    // grabbed when the camera presents it (not ahead, during the previous analysis: that one would be stale)
    const frame = await createImageBitmap(video);
    try {
      const enrol = this.enrolling;
      const t0 = performance.now();
      const result = await engine.analyzeBitmap(await createImageBitmap(frame), {
        embed: true,
        plugins: enrol ? ENROL_PLUGINS : [],
      });
      const roundTrip = performance.now() - t0;
      // a stalled camera's frame analysed again refreshes the overlay but is no second sample of the face
      if (enrol && taken === 'again') this.enrolMessage = 'Waiting for the camera’s next frame…';
      else if (enrol) await this.#tryEnrol(result, frame);
      await this.#show(result, frame, canvas, start, { grab: t0 - start, frame: roundTrip });
    } finally {
      frame.close();
    }
  }

  /**
   * The tracked loop's frame (tracked.ts): no whole-frame copy, each crop is grabbed from the video itself, and the
   * overlay is drawn over the video's current frame.
   */
  async #trackedFrame(
    engine: BrowserEngine,
    tracked: TrackedRecogniser,
    video: HTMLVideoElement,
    canvas: HTMLCanvasElement,
  ): Promise<void> {
    const start = performance.now();
    const source = { image: video, width: video.videoWidth, height: video.videoHeight };
    const result = await tracked.analyze(source, start, (a, b) =>
      isMatch(engine.similarity(a, b), this.threshold),
    );
    await this.#show(result, video, canvas, start, { frame: performance.now() - start });
  }

  /** Names the result's faces, draws them over `image`, publishes the frame's stages and records events. */
  async #show(
    result: AnalyzeResult,
    image: DrawSource,
    canvas: HTMLCanvasElement,
    start: number,
    times: Record<string, number>,
  ): Promise<void> {
    const seen = this.#name(result);
    const t1 = performance.now();
    drawFaces(canvas, image, this.plain ? plainOverlay(seen.overlay) : seen.overlay);
    this.faces = seen.faces;
    const stages = {
      ...result.execution_time,
      ...(result.faces[0]?.execution_time ?? {}),
      ...times,
      draw: performance.now() - t1,
    };
    this.stages = stages;
    reportFrame(start, stages); // the plain object: a $state proxy cannot be cloned into a measure
    this.#tick();
    await this.#record(result, seen.matches);
  }

  /**
   * The gallery's answer for an embedding, searched once per embedding: a track keeps its identity (the same array)
   * between embeddings, so a tracked frame searches only when an identity changed, the gallery or the threshold.
   */
  #match(embedding: Float32Array): Match | undefined {
    const gallery = this.#gallery;
    if (!gallery) return undefined;
    const key = `${gallery.size}:${this.threshold}`;
    const known = this.#matches.get(embedding);
    if (known && known.gallery === gallery && known.key === key) return known.match;
    const match = gallery.match(embedding, this.threshold);
    this.#matches.set(embedding, { gallery, key, match });
    return match;
  }

  #name(result: AnalyzeResult) {
    const matches = result.faces.map((f) => (f.embedding ? this.#match(f.embedding) : undefined));
    const overlay: OverlayFace[] = result.faces.map((f, i) => {
      const m = matches[i];
      return {
        box: f.box,
        landmarks: f.landmarks,
        lines: [m ? `${m.subject} ${pct(m.similarity)}` : 'unknown'],
        kind: m ? 'match' : 'unknown',
      };
    });
    const faces = matches.map((m) => ({ name: m?.subject ?? null, similarity: m?.similarity ?? 0 }));
    return { overlay, faces, matches };
  }

  #tick(): void {
    const now = performance.now();
    this.#frames.push(now);
    while (this.#frames.length > 1 && now - this.#frames[0] > 2000) this.#frames.shift();
    const span = (now - this.#frames[0]) / 1000;
    this.fps = span > 0 ? Math.round(((this.#frames.length - 1) / span) * 10) / 10 : 0;
  }

  async #record(result: AnalyzeResult, matches: (Match | undefined)[]): Promise<void> {
    const gap = (this.options.eventGap ?? 5) * 1000;
    const now = Date.now();
    let added = false;
    for (const [i, f] of result.faces.entries()) {
      const m = matches[i];
      const key = m?.subject ?? '\u0000unknown';
      if (now - (this.#lastEvent.get(key) ?? 0) < gap) continue;
      this.#lastEvent.set(key, now);
      const { x_min, y_min, x_max, y_max } = f.box;
      await recordEvent({
        collection: this.options.collection,
        at: now,
        subject: m?.subject ?? null,
        similarity: m?.similarity ?? 0,
        box: { x_min, y_min, x_max, y_max },
      });
      added = true;
    }
    if (added) this.queued = await countQueuedEvents(this.options.collection);
  }

  /** What waits to be pushed: recognition events and enrolments. */
  async #countQueued(): Promise<void> {
    const { collection } = this.options;
    [this.queued, this.queuedEnrolments] = await Promise.all([
      countQueuedEvents(collection),
      countPendingExamples(collection),
    ]);
  }

  /**
   * Offers the frame's gated face to the enrolment window: the best frame (quality score) of the same face over
   * 1.5 s or 5 passing frames is enrolled, with its thumbnail.
   */
  async #tryEnrol(result: AnalyzeResult, frame: ImageBitmap): Promise<void> {
    const gate = gateEnrolment(result, this.options.minLiveness);
    if (!gate.ok) {
      this.enrolMessage = `Not yet: ${gate.reasons.join('; ')}.`;
      return;
    }
    const { face } = gate;
    const score = face.quality?.score ?? 0;
    const best = this.#enrolBest;
    const offered = { face, thumbnail: await thumbnail(frame, face.box) };
    // the frames of the window this one closes, if it does (a window never closes at its first frame)
    const frames = best.frames + 1;
    const chosen = best.offer(offered, face.box, score, performance.now());
    if (!chosen) {
      this.enrolMessage = `Hold still… (${best.frames} of ${best.maxFrames} frames)`;
      return;
    }
    const subject = this.enrolName.trim();
    const embedding = chosen.face.embedding!;
    await addDeviceExample({
      collection: this.options.collection,
      subject,
      embedding,
      model: this.#engine!.embedderId,
      thumbnail: chosen.thumbnail,
    });
    this.#gallery?.add(subject, embedding);
    this.enrolled++;
    this.queuedEnrolments = await countPendingExamples(this.options.collection);
    this.enrolling = false;
    this.enrolMessage = `Enrolled ${subject} (quality ${chosen.face.quality?.score ?? '?'}, the best of ${frames} frames).`;
  }
}

/** A JPEG of the face box with a margin, at most 160 px on its longer side. */
async function thumbnail(
  frame: ImageBitmap,
  box: { x_min: number; y_min: number; x_max: number; y_max: number },
) {
  const m = 0.25 * Math.max(box.x_max - box.x_min, box.y_max - box.y_min);
  const x = Math.max(0, box.x_min - m);
  const y = Math.max(0, box.y_min - m);
  const w = Math.min(frame.width, box.x_max + m) - x;
  const h = Math.min(frame.height, box.y_max + m) - y;
  const scale = Math.min(1, 160 / Math.max(w, h));
  const canvas = new OffscreenCanvas(Math.round(w * scale), Math.round(h * scale));
  canvas.getContext('2d')?.drawImage(frame, x, y, w, h, 0, 0, canvas.width, canvas.height);
  return canvas.convertToBlob({ type: 'image/jpeg', quality: 0.85 });
}
