// CompreFace's detector check: a box is correct when it contains an annotated nose; each nose matches at most one
// box and each box at most one nose (a maximum bipartite matching); boxes left over are false positives.
import type { FaceBox, Point } from '../../shared/engine/types.js';

export type Box = Pick<FaceBox, 'x_min' | 'y_min' | 'x_max' | 'y_max'>;

export interface NoseMatch {
  found: number;
  missed: Point[];
  falseBoxes: Box[];
}

const contains = (b: Box, [x, y]: Point) => x >= b.x_min && x <= b.x_max && y >= b.y_min && y <= b.y_max;

export function matchNoses(noses: readonly Point[], boxes: readonly Box[]): NoseMatch {
  const boxOwner = new Array<number>(boxes.length).fill(-1);
  // Kuhn's augmenting paths: small inputs (a few dozen faces), so O(V·E) is nothing.
  const assign = (nose: number, seen: boolean[]): boolean => {
    for (let b = 0; b < boxes.length; b++) {
      if (seen[b] || !contains(boxes[b], noses[nose])) continue;
      seen[b] = true;
      if (boxOwner[b] === -1 || assign(boxOwner[b], seen)) {
        boxOwner[b] = nose;
        return true;
      }
    }
    return false;
  };
  const matched = noses.map((_, n) => assign(n, new Array<boolean>(boxes.length).fill(false)));
  return {
    found: matched.filter(Boolean).length,
    missed: noses.filter((_, n) => !matched[n]),
    falseBoxes: boxes.filter((_, b) => boxOwner[b] === -1),
  };
}
