// Box-annotated detection scoring (../shared/data/eval/detection-boxes): every annotated face must be found, a
// detection may match one face and a face one detection (maximum bipartite matching), a pair matches at IoU ≥ 0.3
// or when the face's centre lies inside the detection. `hard` faces count neither way: finding one is no false box,
// missing one is no miss (reported apart as hard-face recall).
import type { Box } from './noses.js';

/** [x, y, w, h] in image pixels, as annotations.json writes them. */
export type XYWH = readonly [number, number, number, number];

export interface BoxMatch {
  faces: number;
  found: number;
  hard: number;
  hardFound: number;
  /** Required faces no detection matched. */
  missed: XYWH[];
  /** Detections that match neither a required nor a hard face. */
  falseBoxes: Box[];
}

export const MATCH_IOU = 0.3;

function matches(face: XYWH, b: Box): boolean {
  const [x, y, w, h] = face;
  const [cx, cy] = [x + w / 2, y + h / 2];
  if (cx >= b.x_min && cx <= b.x_max && cy >= b.y_min && cy <= b.y_max) return true;
  const iw = Math.min(x + w, b.x_max) - Math.max(x, b.x_min);
  const ih = Math.min(y + h, b.y_max) - Math.max(y, b.y_min);
  if (iw <= 0 || ih <= 0) return false;
  const inter = iw * ih;
  return inter / (w * h + (b.x_max - b.x_min) * (b.y_max - b.y_min) - inter) >= MATCH_IOU;
}

/** One-to-one matching of `faces` to `boxes` (Kuhn's augmenting paths); indices of matched faces per box. */
function bipartite(faces: readonly XYWH[], boxes: readonly Box[], free: boolean[]): number[] {
  const owner = new Array<number>(boxes.length).fill(-1);
  const assign = (f: number, seen: boolean[]): boolean => {
    for (let b = 0; b < boxes.length; b++) {
      if (!free[b] || seen[b] || !matches(faces[f], boxes[b])) continue;
      seen[b] = true;
      if (owner[b] === -1 || assign(owner[b], seen)) {
        owner[b] = f;
        return true;
      }
    }
    return false;
  };
  faces.forEach((_, f) => assign(f, new Array<boolean>(boxes.length).fill(false)));
  return owner;
}

export function matchBoxes(faces: readonly XYWH[], hard: readonly XYWH[], boxes: readonly Box[]): BoxMatch {
  // Required faces first, so a detection that could be either is credited to the face that must be found.
  const owner = bipartite(
    faces,
    boxes,
    boxes.map(() => true),
  );
  const hardOwner = bipartite(
    hard,
    boxes,
    owner.map((o) => o === -1),
  );
  const found = new Set(owner.filter((o) => o >= 0));
  return {
    faces: faces.length,
    found: found.size,
    hard: hard.length,
    hardFound: hardOwner.filter((o) => o >= 0).length,
    missed: faces.filter((_, f) => !found.has(f)),
    falseBoxes: boxes.filter((_, b) => owner[b] === -1 && hardOwner[b] === -1),
  };
}
