// Turns API responses into what the Test page draws: per image, each face's box, landmarks and label lines.
import type { Point } from '../../../../shared/engine/types.js';
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
  /** First line is the headline (name and similarity, or detection probability). */
  lines: string[];
  /** 'match' | 'face' | 'unknown' picks the colour. */
  kind: 'match' | 'face' | 'unknown';
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

/** One list of faces per input image (verification has two images). */
export function overlays(type: ServiceType, res: AnalyzeResponse): OverlayFace[][] {
  switch (type) {
    case 'recognition':
      return [
        (res as RecognizeResponse).result.map((f) => {
          const best = f.subjects?.[0];
          return best
            ? face(f, `${best.subject} ${best.similarity.toFixed(2)}`, 'match')
            : face(f, 'unknown', 'unknown');
        }),
      ];
    case 'detection':
      return [(res as DetectResponse).result.map((f) => face(f, `face ${pct(f.box.probability)}`, 'face'))];
    case 'verification': {
      const r = (res as VerifyResponse).result;
      return [
        r.map((x) => face(x.source_image_face, 'source', 'face')),
        r.flatMap((x) =>
          x.face_matches.map((m) => face(m, `similarity ${m.similarity.toFixed(2)}`, 'match')),
        ),
      ];
    }
  }
}

/** A sentence describing the result, for screen readers and as the canvas' fallback text. */
export function describe(faces: OverlayFace[]): string {
  if (!faces.length) return 'No face found.';
  return `${faces.length} face${faces.length === 1 ? '' : 's'}: ${faces.map((f) => f.lines.join(', ')).join('; ')}.`;
}
