// Synthetic face masks drawn over a photo from its 468-point face mesh (MaskTheFace-style): surgical, FFP2, cloth and
// patterned, dark and light, worn correctly (nose covered), under the nose or under the mouth. Training data only.
import type { RawImage } from '../../shared/image.js';
import type { Point } from '../../shared/engine/types.js';

export type MaskFit = 'correct' | 'under_nose' | 'under_mouth';
export type MaskKind = 'surgical' | 'ffp2' | 'cloth' | 'stripes' | 'dots' | 'checks';
type RGB = [number, number, number];
export interface MaskStyle {
  kind: MaskKind;
  colour: RGB;
  colour2: RGB;
  /** Pattern period in face widths, and its angle. */
  period: number;
  angle: number;
  straps: boolean;
}
export type Mesh = readonly (readonly [number, number, number])[];

/** A small seeded generator (mulberry32), so a training run is repeatable. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SURGICAL: RGB[] = [
  [140, 190, 215],
  [120, 175, 190],
  [236, 236, 236],
  [165, 205, 175],
  [230, 172, 190],
  [38, 38, 42],
  [150, 152, 158],
];

export function randomStyle(rand: () => number): MaskStyle {
  const kinds: MaskKind[] = ['surgical', 'surgical', 'ffp2', 'cloth', 'cloth', 'stripes', 'dots', 'checks'];
  const kind = kinds[Math.floor(rand() * kinds.length)];
  const anyColour = (): RGB => {
    const v = 25 + rand() * 220; // dark to light
    const sat = rand() * 0.8;
    const hue = rand() * 6;
    const c = (k: number) => {
      const d = Math.min(Math.abs(((hue - k + 6) % 6) - 3), 3) / 3; // 0 at the hue's opposite, 1 near it
      return Math.round(v * (1 - sat * (1 - Math.min(1, Math.max(0, 2 * d - 0.5)))));
    };
    return [c(0), c(2), c(4)];
  };
  const colour: RGB =
    kind === 'surgical'
      ? SURGICAL[Math.floor(rand() * SURGICAL.length)]
      : kind === 'ffp2'
        ? rand() < 0.7
          ? [228, 226, 216]
          : [40, 40, 44]
        : anyColour();
  return {
    kind,
    colour,
    colour2: anyColour(),
    period: 0.08 + rand() * 0.2,
    angle: rand() < 0.5 ? 0 : rand() * Math.PI,
    straps: rand() < 0.6,
  };
}

// MediaPipe face-mesh indices: the lower face oval from one cheek round the chin to the other.
const OVAL_LOWER = [
  323, 361, 288, 397, 365, 379, 378, 400, 377, 152, 148, 176, 149, 150, 136, 172, 58, 132, 93,
];
const lerp = (a: Point, b: Point, t: number): Point => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];

/** The mask's outline in image pixels for a fit, jittered and grown a little past the jaw. */
export function maskPolygon(mesh: Mesh, fit: MaskFit, rand: () => number): Point[] {
  const p = (i: number): Point => [mesh[i][0], mesh[i][1]];
  const ovalFrom = (left: number, right: number) => {
    const a = OVAL_LOWER.indexOf(right);
    const b = OVAL_LOWER.indexOf(left);
    return OVAL_LOWER.slice(a, b + 1).map(p);
  };
  let poly: Point[];
  if (fit === 'correct') poly = [p(93), lerp(p(6), p(197), rand()), ...ovalFrom(93, 323)];
  else if (fit === 'under_nose') poly = [p(132), lerp(p(2), p(0), 0.2 + 0.4 * rand()), ...ovalFrom(132, 361)];
  else poly = [p(172), lerp(p(17), p(152), 0.1 + 0.3 * rand()), ...ovalFrom(172, 397)];
  const width = Math.hypot(mesh[454][0] - mesh[234][0], mesh[454][1] - mesh[234][1]);
  const cx = poly.reduce((s, q) => s + q[0], 0) / poly.length;
  const cy = poly.reduce((s, q) => s + q[1], 0) / poly.length;
  const grow = 1 + rand() * 0.08;
  return poly.map(([x, y], i) => {
    const g = i === 1 ? 1 : grow; // the top centre stays on the nose
    const j = () => (rand() - 0.5) * 0.03 * width;
    return [cx + (x - cx) * g + j(), cy + (y - cy) * g + j()];
  });
}

function inside(poly: readonly Point[], x: number, y: number): boolean {
  let c = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [xi, yi] = poly[i];
    const [xj, yj] = poly[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) c = !c;
  }
  return c;
}

/** A copy of `image` (RGB) with a mask drawn over the face whose mesh is given. */
export function drawMask(
  image: RawImage,
  mesh: Mesh,
  fit: MaskFit,
  style: MaskStyle,
  rand: () => number,
): RawImage {
  const { width: W, height: H, channels: C } = image;
  const out = new Uint8Array(W * H * 3);
  for (let i = 0, o = 0; o < out.length; i += C, o += 3) {
    out[o] = image.data[i];
    out[o + 1] = image.data[i + 1];
    out[o + 2] = image.data[i + 2];
  }
  const poly = maskPolygon(mesh, fit, rand);
  // Mask axes: u along the cheeks, v down the face; s in [-1, 1] across, t from the top edge in face widths.
  const l = mesh[234];
  const r = mesh[454];
  const fw = Math.max(1, Math.hypot(r[0] - l[0], r[1] - l[1]));
  const u: Point = [(r[0] - l[0]) / fw, (r[1] - l[1]) / fw];
  const v: Point = [-u[1], u[0]];
  const top = poly[1];
  const xs = poly.map((q) => q[0]);
  const ys = poly.map((q) => q[1]);
  const [x0, x1] = [Math.max(0, Math.floor(Math.min(...xs))), Math.min(W - 1, Math.ceil(Math.max(...xs)))];
  const [y0, y1] = [Math.max(0, Math.floor(Math.min(...ys))), Math.min(H - 1, Math.ceil(Math.max(...ys)))];
  // Scene exposure: masks in a dark photo are dark too.
  let lum = 0,
    n = 0;
  for (let y = y0; y <= y1; y++)
    for (let x = x0; x <= x1; x++)
      if (inside(poly, x + 0.5, y + 0.5)) {
        const o = 3 * (y * W + x);
        lum += 0.299 * out[o] + 0.587 * out[o + 1] + 0.114 * out[o + 2];
        n++;
      }
  const exposure = Math.min(1.25, Math.max(0.45, (n ? lum / n : 128) / 130)) * (0.85 + rand() * 0.3);
  const sideLight = (rand() - 0.5) * 0.5;
  const pleatPhase = rand() * Math.PI * 2;
  const [ca, sa] = [Math.cos(style.angle), Math.sin(style.angle)];
  const colourAt = (x: number, y: number): RGB => {
    const dx = x - top[0];
    const dy = y - top[1];
    const s = (dx * u[0] + dy * u[1]) / (fw / 2);
    const t = (dx * v[0] + dy * v[1]) / fw;
    let shade = (1 - 0.3 * s * s) * (1 + sideLight * s) * exposure;
    let c = style.colour;
    switch (style.kind) {
      case 'surgical':
        shade *= 1 - 0.1 * (0.5 + 0.5 * Math.sin((t / 0.09) * Math.PI * 2 + pleatPhase));
        break;
      case 'ffp2':
        shade *= 1 - 0.25 * Math.exp(-((s * fw) ** 2) / (2 * (0.01 * fw) ** 2));
        break;
      case 'cloth':
        shade *= 0.94 + 0.12 * rand();
        break;
      case 'stripes':
      case 'checks':
      case 'dots': {
        const a = (s / 2 + 0.5) * ca + t * sa;
        const b = -(s / 2 + 0.5) * sa + t * ca;
        const k = style.period;
        const on =
          style.kind === 'stripes'
            ? Math.floor(a / k) % 2 === 0
            : style.kind === 'checks'
              ? (Math.floor(a / k) + Math.floor(b / k)) % 2 === 0
              : Math.hypot(a / k - Math.round(a / k), b / k - Math.round(b / k)) < 0.28;
        if (on) c = style.colour2;
        shade *= 0.96 + 0.08 * rand();
        break;
      }
    }
    return [c[0] * shade, c[1] * shade, c[2] * shade];
  };
  const paint = (x: number, y: number, cov: number, c: RGB) => {
    const o = 3 * (y * W + x);
    for (let k = 0; k < 3; k++)
      out[o + k] = Math.max(0, Math.min(255, Math.round(out[o + k] * (1 - cov) + c[k] * cov)));
  };
  for (let y = y0; y <= y1; y++)
    for (let x = x0; x <= x1; x++) {
      let cov = 0;
      for (const [sx, sy] of [
        [0.25, 0.25],
        [0.75, 0.25],
        [0.25, 0.75],
        [0.75, 0.75],
      ])
        if (inside(poly, x + sx, y + sy)) cov += 0.25;
      if (cov > 0) paint(x, y, cov, colourAt(x + 0.5, y + 0.5));
    }
  if (style.straps) {
    // Ear loops: from each upper corner of the mask towards the ear, a line of the mask's colour.
    const strapColour: RGB =
      style.kind === 'surgical' || style.kind === 'ffp2' ? [240, 240, 240] : style.colour;
    const thick = Math.max(1, fw * 0.012);
    for (const [from, ear] of [
      [poly[0], mesh[234]],
      [poly[2], mesh[454]],
    ] as const) {
      const steps = Math.ceil(Math.hypot(ear[0] - from[0], ear[1] - from[1]) * 2);
      for (let i = 0; i <= steps; i++) {
        const [px, py] = lerp(from, [ear[0], ear[1]], i / steps);
        for (let dy = -thick; dy <= thick; dy++)
          for (let dx = -thick; dx <= thick; dx++) {
            const x = Math.round(px + dx);
            const y = Math.round(py + dy);
            if (x >= 0 && y >= 0 && x < W && y < H && dx * dx + dy * dy <= thick * thick)
              paint(x, y, 0.8, [
                strapColour[0] * exposure,
                strapColour[1] * exposure,
                strapColour[2] * exposure,
              ]);
          }
      }
    }
  }
  return { data: out, width: W, height: H, channels: 3 };
}
