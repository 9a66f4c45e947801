// Enrolment gating: a webcam frame becomes an example only when it holds exactly one face that the engine's
// quality plugin accepts (size, sharpness, pose) and its liveness plugin calls real.
import type { AnalyzeResult, FaceAnalysis, PluginName } from '../../../shared/engine/types.js';

/** Plugins an enrolment frame is analysed with. */
export const ENROL_PLUGINS: readonly PluginName[] = ['quality', 'liveness'];
/** Default minimum probability that the face is live (the liveness plugin's "real"). */
export const MIN_LIVENESS = 0.5;

export type GateResult = { ok: true; face: FaceAnalysis } | { ok: false; reasons: string[] };

/** The liveness plugin's probability that the face is real, whichever verdict it gave. */
export function realProbability(face: FaceAnalysis): number | undefined {
  const l = face.liveness;
  return l && (l.value === 'real' ? l.probability : 1 - l.probability);
}

export function gateEnrolment(result: AnalyzeResult, minLiveness = MIN_LIVENESS): GateResult {
  if (result.faces.length === 0) return { ok: false, reasons: ['no face in view'] };
  if (result.faces.length > 1) return { ok: false, reasons: ['more than one face in view'] };
  const face = result.faces[0];
  const reasons = [...(face.quality?.reasons ?? ['quality was not measured'])];
  const live = realProbability(face);
  if (live === undefined) reasons.push('liveness was not measured');
  else if (live < minLiveness)
    reasons.push(`the face does not look live (${Math.round(live * 100)}%; photo or screen?)`);
  if (!face.embedding) reasons.push('no embedding');
  return reasons.length ? { ok: false, reasons } : { ok: true, face };
}
