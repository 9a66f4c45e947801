// Detection checks at the default threshold: CompreFace's nose rule and person identities on its sample photos,
// and face counts on the group photos of ../shared/data/eval/detection.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadConfig } from '../../server/src/config.js';
import { decodeImage } from '../../server/src/image/decode.js';
import type { AnalyzeOptions, FaceEngine, Point } from '../../shared/engine/types.js';
import { matchBoxes, type BoxMatch, type XYWH } from './boxes.js';
import { matchNoses, type Box } from './noses.js';

export interface NoseRow {
  file: string;
  noses: number;
  found: number;
  missed: Point[];
  falseBoxes: Box[];
  detectMs: number;
  decodeMs: number;
}

export interface IdentityCheck {
  /** Lowest similarity between two photos of the same person, and which. */
  minSame: { value: number; a: string; b: string };
  /** Highest similarity between photos of different people, and which. */
  maxDifferent: { value: number; a: string; b: string };
  /** Every same-person similarity above every different-person similarity. */
  separated: boolean;
}

export interface SamplesReport {
  rows: NoseRow[];
  identity?: IdentityCheck;
}

interface Annotations {
  noses: Record<string, Point[]>;
  persons: Record<string, { images: string[] }>;
}

/** As the server decodes: photos longer than ANALYSIS_MAX_SIDE are analysed reduced. */
const MAX_SIDE = loadConfig().analysisMaxSide;

async function load(path: string): Promise<{ image: Awaited<ReturnType<typeof decodeImage>>; ms: number }> {
  const bytes = new Uint8Array(await readFile(path));
  const t = performance.now();
  const image = await decodeImage(bytes, { maxSide: MAX_SIDE });
  return { image, ms: performance.now() - t };
}

/** `dir` holds annotations.json and the photos (test/fixtures/compreface-samples). */
export async function runSamples(
  dir: string,
  engine: FaceEngine,
  log: (l: string) => void,
  detProbThreshold?: number,
): Promise<SamplesReport> {
  const ann = JSON.parse(await readFile(join(dir, 'annotations.json'), 'utf8')) as Annotations;
  const owner = new Map(
    Object.entries(ann.persons).flatMap(([who, p]) => p.images.map((f) => [f, who] as const)),
  );
  const embeddings = new Map<string, Float32Array>();
  const rows: NoseRow[] = [];
  for (const [file, noses] of Object.entries(ann.noses)) {
    const { image, ms } = await load(join(dir, file));
    const t = performance.now();
    const result = await engine.analyze(image, { embed: owner.has(file), detProbThreshold });
    const detectMs = result.execution_time.detector ?? performance.now() - t;
    const biggest = result.faces[0]?.embedding;
    if (owner.has(file) && biggest) embeddings.set(file, biggest);
    rows.push({
      file,
      noses: noses.length,
      ...matchNoses(
        noses,
        result.faces.map((f) => f.box),
      ),
      detectMs,
      decodeMs: ms,
    });
    log(`  ${file}: ${result.faces.length} boxes`);
  }
  return { rows, identity: identity(embeddings, owner, engine) };
}

function identity(
  embeddings: Map<string, Float32Array>,
  owner: Map<string, string>,
  engine: FaceEngine,
): IdentityCheck | undefined {
  const files = [...embeddings.keys()];
  if (files.length < 2) return undefined;
  let minSame = { value: Infinity, a: '', b: '' };
  let maxDifferent = { value: -Infinity, a: '', b: '' };
  for (let i = 0; i < files.length; i++) {
    for (let j = i + 1; j < files.length; j++) {
      const [a, b] = [files[i], files[j]];
      const value = engine.similarity(embeddings.get(a)!, embeddings.get(b)!);
      if (owner.get(a) === owner.get(b)) {
        if (value < minSame.value) minSame = { value, a, b };
      } else if (value > maxDifferent.value) maxDifferent = { value, a, b };
    }
  }
  return { minSame, maxDifferent, separated: minSame.value > maxDifferent.value };
}

export interface CountRow {
  file: string;
  faces: number;
  ambiguous: number;
  detected: number;
  /** faces ≤ detected ≤ faces + ambiguous. */
  ok: boolean;
  detectMs: number;
}

/** `dir` holds annotations.json ({images: {file: {faces, ambiguous?}}}) and the photos. */
export async function runCounts(
  dir: string,
  engine: FaceEngine,
  log: (l: string) => void,
  detProbThreshold?: number,
): Promise<CountRow[]> {
  const ann = JSON.parse(await readFile(join(dir, 'annotations.json'), 'utf8')) as {
    images: Record<string, { faces: number; ambiguous?: number }>;
  };
  const rows: CountRow[] = [];
  for (const [file, want] of Object.entries(ann.images)) {
    const { image } = await load(join(dir, file));
    const t = performance.now();
    const result = await engine.analyze(image, { detProbThreshold });
    const detected = result.faces.length;
    const ambiguous = want.ambiguous ?? 0;
    const detectMs = result.execution_time.detector ?? performance.now() - t;
    rows.push({
      file,
      faces: want.faces,
      ambiguous,
      detected,
      ok: detected >= want.faces && detected <= want.faces + ambiguous,
      detectMs,
    });
    log(`  ${file}: ${detected} faces`);
  }
  return rows;
}

export interface BoxRow extends BoxMatch {
  file: string;
  detectMs: number;
}

/** One threshold's pass over the box-annotated set: per-photo matches (boxes.ts). */
export interface BoxesReport {
  threshold: number | 'default';
  rows: BoxRow[];
}

/**
 * `dir` holds annotations.json ({file: {boxes: [[x, y, w, h]], hard: [...]}}) and the photos; one pass per
 * threshold ('default' = the engine's own), every photo decoded as the server decodes it.
 */
export async function runBoxes(
  dir: string,
  engine: FaceEngine,
  thresholds: readonly (number | 'default')[],
  log: (l: string) => void,
  options: Omit<AnalyzeOptions, 'detProbThreshold'> = {},
): Promise<BoxesReport[]> {
  const ann = JSON.parse(await readFile(join(dir, 'annotations.json'), 'utf8')) as Record<
    string,
    { boxes: XYWH[]; hard?: XYWH[] }
  >;
  const reports: BoxesReport[] = thresholds.map((threshold) => ({ threshold, rows: [] }));
  for (const [file, want] of Object.entries(ann)) {
    const { image } = await load(join(dir, file));
    for (const report of reports) {
      const t = performance.now();
      const detProbThreshold = report.threshold === 'default' ? undefined : report.threshold;
      const result = await engine.analyze(image, { ...options, detProbThreshold });
      const detectMs =
        (result.execution_time.detector ?? performance.now() - t) + (result.execution_time.verifier ?? 0);
      const m = matchBoxes(
        want.boxes,
        want.hard ?? [],
        result.faces.map((f) => f.box),
      );
      report.rows.push({ file, detectMs, ...m });
      log(`  ${file} @ ${report.threshold}: ${m.found}/${m.faces}, ${m.falseBoxes.length} false`);
    }
  }
  return reports;
}
