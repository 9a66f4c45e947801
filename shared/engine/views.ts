// Where the detector looks: the whole image letterboxed to a square, plus overlapping tiles on big images so that
// small faces in group photos and 20+ MP portraits still cover enough detector pixels.
import { rectToAffine, type Affine } from './affine.js';

export interface View {
  /** Maps detector-input pixels to image pixels. */
  toImage: Affine;
  /** The image rectangle this view covers (x1, y1, x2, y2). */
  rect: [number, number, number, number];
  /** Whether each side (left, top, right, bottom) is an inner tile edge where faces may be cut. */
  innerEdges: [boolean, boolean, boolean, boolean];
}

export interface ViewPlan {
  /** Detector input side in pixels. */
  inputSize: number;
  /** Tile when the image's long side exceeds this many detector inputs (0 = never tile). */
  tileAbove: number;
  /** Tile side as a fraction of the image's long side, and the overlap between neighbours. */
  tileFraction: number;
  overlap: number;
}

/**
 * Tiles once the long side passes three detector inputs (768 px): they lift small faces' scores in group photos and
 * big portraits (verify.ts rejects what they add). Below that one whole-image pass suffices: measured on CompreFace's
 * nose test (46/46 either way) at a tenth of the detector time on 350-640 px photos.
 */
export const DEFAULT_VIEW_PLAN: ViewPlan = { inputSize: 256, tileAbove: 3, tileFraction: 0.5, overlap: 0.25 };

function square(x: number, y: number, side: number, inputSize: number): Affine {
  return rectToAffine(x, y, side, side, inputSize, inputSize);
}

/** The whole image letterboxed into one detector input. */
export function wholeView(width: number, height: number, inputSize: number): View {
  const long = Math.max(width, height);
  return {
    toImage: square((width - long) / 2, (height - long) / 2, long, inputSize),
    rect: [0, 0, width, height],
    innerEdges: [false, false, false, false],
  };
}

/**
 * Square tiles of `side` image pixels (at most the image's short side) overlapping by `overlap`, covering the image.
 * Tile origins sit on the tiles' pixel grid (multiples of their scale), so the detector resamples the image once at
 * that scale and crops every tile from it. The last tile may then stop short of the far edge by under one tile
 * pixel; it still counts as reaching it (the edge is not an inner one).
 */
export function tileViews(
  width: number,
  height: number,
  side: number,
  overlap: number,
  inputSize: number,
): View[] {
  side = Math.min(side, Math.min(width, height));
  const step = side * (1 - overlap);
  const scale = side / inputSize;
  const onGrid = (v: number, extent: number) => {
    const snapped = Math.round(v / scale) * scale;
    return snapped <= extent - side ? snapped : Math.floor((extent - side) / scale) * scale;
  };
  const starts = (extent: number) => {
    const n = Math.max(1, Math.ceil((extent - side) / step) + 1);
    return Array.from({ length: n }, (_, i) =>
      onGrid(n === 1 ? (extent - side) / 2 : ((extent - side) * i) / (n - 1), extent),
    );
  };
  const views: View[] = [];
  for (const y of starts(height))
    for (const x of starts(width))
      views.push({
        toImage: square(x, y, side, inputSize),
        rect: [x, y, x + side, y + side],
        innerEdges: [x > 0.5, y > 0.5, x + side < width - scale, y + side < height - scale],
      });
  return views;
}

/** The fast plan: the whole image, plus one level of tiles when the long side passes `tileAbove` inputs. */
export function planViews(width: number, height: number, plan: ViewPlan): View[] {
  const long = Math.max(width, height);
  const whole = wholeView(width, height, plan.inputSize);
  if (!plan.tileAbove || long <= plan.tileAbove * plan.inputSize) return [whole];
  const side = Math.ceil(long * plan.tileFraction);
  return [whole, ...tileViews(width, height, side, plan.overlap, plan.inputSize)];
}
