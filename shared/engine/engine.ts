// The face engine: detect → 68 landmarks → align → embed → plugins, over any SessionProvider and the manifest.
import type { RawImage } from '../image.js';
import { PluginUnavailable } from '../errors.js';
import { ChipEmbedder, Landmarker68, orientedSquare, regionFromPoints, type FaceRegion } from './align.js';
import { DEFAULT_EMBEDDER, PIPELINE_VERSION, embedderModel, listEmbedders } from './embedders.js';
import { faceProbability, rawScoreFor, roundProbability } from './face-probability.js';
import { BlazeFaceDetector, DEFAULT_DETECTOR_SETTINGS, type DetectorSettings } from './detector.js';
import { applyAffine, type Affine } from './affine.js';
import { dlibFivePointTemplate, fivePointsFrom68, fivePointsFromKeypoints } from './landmarks.js';
import type { ModelCatalog } from './manifest.js';
import type { Candidate } from './nms.js';
import { candidateRescue } from './quality-rescue.js';
import { FaceVerifier, rememberedCheck } from './verify.js';
import { PLUGIN_DESCRIPTORS, type FaceContext, type PluginRunner } from './plugins/index.js';
import { profilesOf } from './profiles.js';
import { toSourcePixels } from './rescale.js';
import type { SessionProvider } from './session.js';
import { calibratedSimilarity, l2distance } from './similarity.js';
import {
  PLUGINS,
  type Point,
  type AnalyzeOptions,
  type AnalyzeResult,
  type FaceAnalysis,
  type FaceBox,
  type FaceEngine,
  type PluginName,
} from './types.js';

export interface EngineConfig {
  sessions: SessionProvider;
  catalog: ModelCatalog;
  detector?: string;
  landmarks?: string;
  embedder?: string;
  detectorSettings?: Partial<DetectorSettings>;
  /** Average each embedding with its mirror image's (default: the embedder's manifest `extra.mirror`, else true). */
  mirror?: boolean;
  /** Square crop around the detector box for the landmark model, as a multiple of the box's larger side. */
  landmarkCrop?: number;
  /** Crop around the first pass's 68 points for a second landmark pass (0 = single pass). */
  landmarkRefine?: number;
  /** Model whose face-presence output confirms each detection ('none' to trust the detector alone). */
  verifier?: string;
}

export { DEFAULT_EMBEDDER } from './embedders.js';

const now = (): number => performance.now();

export async function createEngine(cfg: EngineConfig): Promise<FaceEngine> {
  const ids = {
    detector: cfg.detector ?? 'blazeface-back',
    landmarks: cfg.landmarks ?? 'faceapi-landmarks68',
    embedder: cfg.embedder ?? DEFAULT_EMBEDDER,
  };
  const info = (id: string) => {
    const m = cfg.catalog.models[id];
    if (!m) throw new PluginUnavailable(`model ${id} is not built (models/manifest.json)`);
    return m;
  };
  const settings = { ...DEFAULT_DETECTOR_SETTINGS, ...cfg.detectorSettings };
  const verifierId = cfg.verifier ?? 'facemesh';
  const optional = (id: string) => (cfg.catalog.models[id] ? cfg.sessions.load(id) : undefined);
  const [det, lm, emb, ver] = await Promise.all([
    cfg.sessions.load(ids.detector),
    optional(ids.landmarks),
    cfg.sessions.load(ids.embedder),
    optional(verifierId),
  ]);
  // Without the verifier the detector cannot afford tiles: they add false faces it alone cannot reject.
  const verifier = ver && new FaceVerifier(ver, info(verifierId));
  if (!verifier) settings.plan = { ...settings.plan, tileAbove: 0 };
  const detector = new BlazeFaceDetector(det, info(ids.detector), settings);
  // Without the landmark model, alignment falls back to the detector's keypoints (less accurate).
  const landmarker = lm && new Landmarker68(lm, info(ids.landmarks));
  const embedder = new ChipEmbedder(emb, info(ids.embedder), cfg.mirror);
  // Other embedders (a service's choice, AnalyzeOptions.embedder) load on first use.
  const embedders = new Map<string, Promise<ChipEmbedder>>([[ids.embedder, Promise.resolve(embedder)]]);
  const embedderFor = (id: string | undefined): Promise<ChipEmbedder> => {
    const model = id ? embedderModel(id) : ids.embedder;
    let e = embedders.get(model);
    if (!e) {
      const m = info(model);
      if (m.task !== 'embedder') throw new PluginUnavailable(`model ${model} is not an embedder`);
      e = cfg.sessions.load(model).then((s) => new ChipEmbedder(s, m, cfg.mirror));
      embedders.set(model, e);
      e.catch(() => embedders.delete(model));
    }
    return e;
  };
  // The embedder's profile: the built-in calibration (calibration.ts) or a pack's (its JSON, packs.ts).
  const calibration = profilesOf(cfg.catalog).embedder(ids.embedder).calibration;
  const cropScale = cfg.landmarkCrop ?? 1.1;
  const refine = cfg.landmarkRefine ?? 0;

  const runners = new Map<PluginName, PluginRunner>();
  const pluginFor = async (name: PluginName): Promise<PluginRunner> => {
    let r = runners.get(name);
    if (!r) {
      r = await PLUGIN_DESCRIPTORS[name].create({ sessions: cfg.sessions, catalog: cfg.catalog });
      runners.set(name, r);
    }
    return r;
  };

  async function landmarksFor(image: RawImage, c: Candidate): Promise<Point[] | undefined> {
    if (!landmarker) return undefined;
    const [le, re] = c.keypoints;
    const w = c.x2 - c.x1;
    const h = c.y2 - c.y1;
    const region: FaceRegion = {
      cx: (c.x1 + c.x2) / 2,
      cy: (c.y1 + c.y2) / 2,
      side: Math.max(w, h) * cropScale,
      angle: le && re ? Math.atan2(re[1] - le[1], re[0] - le[0]) : 0,
    };
    let pts = await landmarker.run(image, region);
    if (refine > 0) {
      const five = fivePointsFrom68(pts);
      pts = await landmarker.run(image, regionFromPoints(pts, five[0], five[1], refine));
    }
    return pts;
  }

  /** Whole-box chip when there are neither landmarks nor keypoints (detectFaces=false without a landmark model). */
  const boxChip = (c: Candidate, embedder: ChipEmbedder): Affine =>
    orientedSquare(
      (c.x1 + c.x2) / 2,
      (c.y1 + c.y2) / 2,
      Math.max(c.x2 - c.x1, c.y2 - c.y1),
      0,
      embedder.spec.width,
    );
  const chipFor = (c: Candidate, pts68: Point[] | undefined, embedder: ChipEmbedder): Affine =>
    pts68
      ? embedder.chipAffine(pts68)
      : c.keypoints.length >= 4
        ? embedder.chipAffineFromKeypoints(c.keypoints)
        : boxChip(c, embedder);
  const fivePoints = (c: Candidate, pts68: Point[] | undefined): Point[] =>
    pts68
      ? fivePointsFrom68(pts68)
      : c.keypoints.length >= 4
        ? fivePointsFromKeypoints(c.keypoints)
        : dlibFivePointTemplate(embedder.spec.width).map((p) => applyAffine(boxChip(c, embedder), p));

  const rescueFor = (image: RawImage, withQuality = true) =>
    candidateRescue(image, embedder, ids.embedder, withQuality);

  async function analyze(raw: RawImage, opts: AnalyzeOptions = {}): Promise<AnalyzeResult> {
    // Names Visor does not know are ignored, as CompreFace's PluginManager.filter_face_plugins ignores them.
    const requested = (opts.plugins ?? []).filter((p) => PLUGINS.includes(p));
    const image = raw;
    const chipEmbedder = await embedderFor(opts.embedder);
    const execution_time: Record<string, number> = {};
    let candidates: Candidate[];
    // det_prob_threshold is on CompreFace's scale; the detector's scores are raw (face-probability.ts)
    const threshold = rawScoreFor(opts.detProbThreshold ?? settings.threshold);
    if (opts.detectFaces === false) {
      candidates = [{ x1: 0, y1: 0, x2: raw.width, y2: raw.height, score: 1, keypoints: [] }];
    } else if (opts.candidates) {
      candidates = [...opts.candidates];
      if (verifier) {
        const t1 = now();
        // located elsewhere (the kiosk's scan): the quality rescue's score floor does not apply to their scores
        candidates = await rememberedCheck(verifier, image, rescueFor(image, false))(candidates);
        execution_time.verifier = now() - t1;
      }
    } else {
      const t0 = now();
      // the accurate plan sizes its pyramid by the faces the verifier confirms (their checks count as detector time;
      // the final check below reuses their verdicts)
      const confirm = verifier && rememberedCheck(verifier, image, rescueFor(image));
      candidates = (await detector.detect(image, Math.max(threshold, 1e-4), opts.detectMode, confirm)).filter(
        (c) => c.score > threshold,
      );
      execution_time.detector = now() - t0;
      if (confirm) {
        const t1 = now();
        candidates = await confirm(candidates);
        execution_time.verifier = now() - t1;
      }
    }
    const area = (c: Candidate) => {
      const b = faceBox(c, raw);
      return (b.x_max - b.x_min) * (b.y_max - b.y_min);
    };
    candidates.sort((a, b) => area(b) - area(a));
    if (opts.limit && opts.limit > 0) candidates = candidates.slice(0, opts.limit);

    const plugins = await Promise.all(requested.map(async (p) => [p, await pluginFor(p)] as const));
    const faces: FaceAnalysis[] = [];
    for (const c of candidates) {
      const times: Record<string, number> = {};
      let t = now();
      const pts68 = await landmarksFor(image, c);
      times.landmarks68 = now() - t;
      const face: FaceAnalysis = {
        box: faceBox(c, raw),
        landmarks: fivePoints(c, pts68).map(([x, y]) => [Math.round(x), Math.round(y)]),
        execution_time: times,
      };
      const chip = chipFor(c, pts68, chipEmbedder);
      const embed = () => chipEmbedder.embed(image, chip);
      const ctx: FaceContext = {
        image,
        candidate: c,
        landmarks68: pts68,
        face,
        chip,
        embed,
        memo: new Map(),
      };
      if (opts.embed && !requested.includes('calculator')) {
        t = now();
        face.embedding = await embed();
        times.calculator = now() - t;
      }
      for (const [name, run] of plugins) {
        t = now();
        await run(ctx);
        times[name] = (times[name] ?? 0) + now() - t;
      }
      faces.push(face);
    }
    const result = { faces, execution_time, width: raw.width, height: raw.height };
    return raw.source ? toSourcePixels(result, raw.source.width, raw.source.height) : result;
  }

  const versions: Record<string, string> = {
    detector: `visor.${ids.detector}`,
    landmarks: `visor.${ids.landmarks}`,
    calculator: `visor.${ids.embedder}@${PIPELINE_VERSION}`,
  };
  for (const p of PLUGINS) versions[p] ??= PLUGIN_DESCRIPTORS[p].version;
  return {
    embedderId: `${ids.embedder}@${PIPELINE_VERSION}`,
    embeddingSize: Number(info(ids.embedder).outputs[0].shape.at(-1)),
    embedders: listEmbedders(cfg.catalog),
    versions,
    analyze,
    similarity: (a, b) => calibratedSimilarity(l2distance(a, b), calibration),
    dispose: async () => {},
  };
}

/** The reported box: detector corners rounded to pixels and clipped to the image, probability on CompreFace's scale. */
export function faceBox(c: Candidate, image: { width: number; height: number }): FaceBox {
  return {
    probability: roundProbability(faceProbability(c.score)),
    x_min: Math.max(0, Math.round(c.x1)),
    y_min: Math.max(0, Math.round(c.y1)),
    x_max: Math.min(image.width, Math.round(c.x2)),
    y_max: Math.min(image.height, Math.round(c.y2)),
  };
}
