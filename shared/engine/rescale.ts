// Results computed on a reduced copy of an image, reported in the source image's pixels.
import type { AnalyzeResult, FaceAnalysis } from './types.js';

/** Scales every pixel coordinate of `result` by (sx, sy) and gives it the source size (rounded as the engine rounds). */
export function toSourcePixels(result: AnalyzeResult, width: number, height: number): AnalyzeResult {
  const sx = width / result.width;
  const sy = height / result.height;
  if (sx === 1 && sy === 1) return result;
  const x = (v: number) => Math.min(width, Math.max(0, Math.round(v * sx)));
  const y = (v: number) => Math.min(height, Math.max(0, Math.round(v * sy)));
  const tenth = (v: number) => Math.round(v * 10) / 10;
  const face = (f: FaceAnalysis): FaceAnalysis => ({
    ...f,
    box: {
      ...f.box,
      x_min: x(f.box.x_min),
      y_min: y(f.box.y_min),
      x_max: x(f.box.x_max),
      y_max: y(f.box.y_max),
    },
    landmarks: f.landmarks.map(([px, py]) => [Math.round(px * sx), Math.round(py * sy)]),
    ...(f.landmarks3d && {
      // z is in the same units as x (facemesh's convention)
      landmarks3d: f.landmarks3d.map(([px, py, pz]) => [tenth(px * sx), tenth(py * sy), tenth(pz * sx)]),
    }),
    ...(f.quality && {
      quality: { ...f.quality, face_size: Math.round(f.quality.face_size * Math.min(sx, sy)) },
    }),
  });
  return { ...result, faces: result.faces.map(face), width, height };
}
