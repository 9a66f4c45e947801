// Draws an image and its faces (box, five landmarks, label lines) on a canvas at the image's own resolution.
import type { OverlayFace } from './faces.js';

const COLOURS: Record<OverlayFace['kind'], string> = {
  match: '#16a34a',
  face: '#2563eb',
  unknown: '#dc2626',
};
const LANDMARK_COLOURS = ['#facc15', '#facc15', '#f472b6', '#22d3ee', '#22d3ee'];

/** A decoded picture or the live video (drawn as its current frame, at its own resolution). */
export type DrawSource = ImageBitmap | HTMLVideoElement;

const sizeOf = (image: DrawSource) =>
  'videoWidth' in image
    ? { width: image.videoWidth, height: image.videoHeight }
    : { width: image.width, height: image.height };

/** Draws at the image's resolution; line widths and text are sized in screen pixels of the canvas as shown. */
export function drawFaces(canvas: HTMLCanvasElement, image: DrawSource, faces: OverlayFace[]): void {
  const { width, height } = sizeOf(image);
  if (canvas.width !== width) canvas.width = width;
  if (canvas.height !== height) canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.drawImage(image, 0, 0);
  // Image pixels per screen pixel, so that a 14 px label stays 14 px however the canvas is scaled.
  const unit = width / (canvas.clientWidth || width);
  const line = 2 * unit;
  const font = 14 * unit;
  ctx.font = `600 ${font}px system-ui, sans-serif`;
  ctx.textBaseline = 'top';
  for (const f of faces) {
    const { x_min, y_min, x_max, y_max } = f.box;
    const colour = COLOURS[f.kind];
    ctx.lineWidth = line;
    ctx.strokeStyle = colour;
    ctx.strokeRect(x_min, y_min, x_max - x_min, y_max - y_min);
    f.landmarks.forEach(([x, y], i) => {
      ctx.beginPath();
      ctx.arc(x, y, Math.min(3.5 * unit, (x_max - x_min) / 20), 0, Math.PI * 2);
      ctx.fillStyle = LANDMARK_COLOURS[i] ?? '#facc15';
      ctx.fill();
      ctx.lineWidth = unit;
      ctx.strokeStyle = '#000';
      ctx.stroke();
    });
    if (!f.lines.length) continue;
    const pad = font * 0.3;
    const height = font * 1.25;
    const width = Math.max(...f.lines.map((l) => ctx.measureText(l).width)) + 2 * pad;
    const total = height * f.lines.length + pad;
    // Above the box when there is room, else inside its top; kept within the image horizontally.
    const top = y_min - total >= 0 ? y_min - total : Math.max(0, y_min);
    const left = Math.min(Math.max(0, x_min - line / 2), Math.max(0, canvas.width - width));
    ctx.fillStyle = 'rgba(0, 0, 0, 0.72)';
    ctx.fillRect(left, top, width, total);
    f.lines.forEach((text, i) => {
      ctx.fillStyle = i === 0 ? '#fff' : '#e5e7eb';
      ctx.fillText(text, left + pad, top + pad + i * height);
    });
    ctx.fillStyle = colour;
    ctx.fillRect(left, top, Math.max(3, line), total);
  }
}
