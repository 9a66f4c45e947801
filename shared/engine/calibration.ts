// The one place similarity calibration constants live, per embedder id (fitted on LFW View 1 devtrain).
import type { Calibration } from './similarity.js';

export const CALIBRATIONS: Record<string, Calibration> = {
  // Provisional until the devtrain fit lands: equal-error distance of dlib's ResNet on L2-normalised embeddings.
  'faceapi-recognition': { c0: 0.6, c1: 10 },
  faceres: { c0: 1.0, c1: 6 },
};

export function calibrationFor(modelId: string): Calibration {
  const c = CALIBRATIONS[modelId];
  if (!c) throw new RangeError(`no similarity calibration for embedder ${modelId}`);
  return c;
}
