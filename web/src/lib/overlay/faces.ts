// Turns API responses into what the Test page draws: per image, each face's box, landmarks and label lines,
// coloured by one notion of a match (shared/match.ts): below the threshold a face is "unknown", never a name.
import type { Point } from '../../../../shared/engine/types.js';
import { isMatch } from '../../../../shared/match.js';
import type { AnalyzeResponse } from '../api/analyze.js';
import type {
  ApiFace,
  DetectResponse,
  RecognizeResponse,
  ServiceType,
  VerifyResponse,
} from '../api/types.js';

export interface OverlayFace {
  box: { x_min: number; y_min: number; x_max: number; y_max: number };
  landmarks: Point[];
  /** First line is the headline (name and similarity, "unknown", or detection probability). */
  lines: string[];
  /** 'match' (green) | 'face' (blue, no comparison made) | 'unknown' (red, below the threshold). */
  kind: 'match' | 'face' | 'unknown';
}

/** What a verification concluded: the best target face's similarity against the threshold. */
export interface Verdict {
  same: boolean;
  best: number | undefined;
  threshold: number;
  text: string;
}

const pct = (p: number) => `${Math.round(p * 100)}%`;
const deg = (d: number) => `${Math.round(d)}°`;

/** The plugin facts of a face, one short line each. */
export function pluginLines(f: ApiFace): string[] {
  const lines: string[] = [];
  if (f.age) lines.push(`age ${f.age.low}–${f.age.high}`);
  if (f.gender) lines.push(`${f.gender.value} ${pct(f.gender.probability)}`);
  if (f.emotion) lines.push(`${f.emotion.value} ${pct(f.emotion.probability)}`);
  if (f.pose) lines.push(`yaw ${deg(f.pose.yaw)} pitch ${deg(f.pose.pitch)} roll ${deg(f.pose.roll)}`);
  if (f.mask) lines.push(`mask: ${f.mask.value}`);
  if (f.liveness) lines.push(`${f.liveness.value} ${pct(f.liveness.probability)}`);
  return lines;
}

function face(f: ApiFace, headline: string, kind: OverlayFace['kind']): OverlayFace {
  return { box: f.box, landmarks: f.landmarks ?? [], lines: [headline, ...pluginLines(f)], kind };
}

const two = (x: number) => x.toFixed(2);

/**
 * One list of faces per input image (verification has two images); a recognized subject or a verification
 * match counts only when its similarity reaches `threshold`.
 */
export function overlays(type: ServiceType, res: AnalyzeResponse, threshold: number): OverlayFace[][] {
  switch (type) {
    case 'recognition':
      return [
        (res as RecognizeResponse).result.map((f) => {
          const best = f.subjects?.[0];
          if (best && isMatch(best.similarity, threshold))
            return face(f, `${best.subject} ${two(best.similarity)}`, 'match');
          const nearest = best ? [`nearest ${best.subject} ${two(best.similarity)}`] : [];
          return { ...face(f, 'unknown', 'unknown'), lines: ['unknown', ...nearest, ...pluginLines(f)] };
        }),
      ];
    case 'detection':
      return [(res as DetectResponse).result.map((f) => face(f, `face ${pct(f.box.probability)}`, 'face'))];
    case 'verification': {
      const r = (res as VerifyResponse).result;
      return [
        r.map((x) => face(x.source_image_face, 'source', 'face')),
        r.flatMap((x) =>
          x.face_matches.map((m) =>
            isMatch(m.similarity, threshold)
              ? face(m, `same person ${two(m.similarity)}`, 'match')
              : face(m, `not the same ${two(m.similarity)}`, 'unknown'),
          ),
        ),
      ];
    }
  }
}

/** The verdict of a verification: the same person when the best target face reaches `threshold`. */
export function verdict(res: VerifyResponse, threshold: number): Verdict {
  const sims = res.result.flatMap((x) => x.face_matches.map((m) => m.similarity));
  const best = sims.length ? Math.max(...sims) : undefined;
  const same = best !== undefined && isMatch(best, threshold);
  const text =
    best === undefined
      ? 'No face to compare in the target image.'
      : same
        ? `Same person: best similarity ${two(best)} reaches the threshold ${two(threshold)}.`
        : `Not the same person: best similarity ${two(best)} is below the threshold ${two(threshold)}.`;
  return { same, best, threshold, text };
}

/** A sentence describing the result, for screen readers and as the canvas' fallback text. */
export function describe(faces: OverlayFace[]): string {
  if (!faces.length) return 'No face found.';
  return `${faces.length} face${faces.length === 1 ? '' : 's'}: ${faces.map((f) => f.lines.join(', ')).join('; ')}.`;
}

/**
 * What the public sees in the kiosk's presentation mode: each face's box in its colour, without names, figures or
 * landmarks (the greeting below the camera says who it is).
 */
export function plainOverlay(faces: readonly OverlayFace[]): OverlayFace[] {
  return faces.map(({ box, kind }) => ({ box, kind, landmarks: [], lines: [] }));
}
