// shared/tracking.ts: association, track birth and death, re-embedding decisions and fused identities.
import { describe, expect, it } from 'vitest';
import {
  BestOfTrack,
  FaceTracker,
  associate,
  centreShift,
  faceQuality,
  fuseEmbedding,
  iou,
  squareAround,
  type TrackBox,
} from '../../shared/tracking.js';

const box = (x: number, y: number, s = 100): TrackBox => ({ x_min: x, y_min: y, x_max: x + s, y_max: y + s });
const det = (x: number, y: number, quality = 100, s = 100) => ({ box: box(x, y, s), quality });
const unit = (...v: number[]) => {
  const n = Math.hypot(...v);
  return Float32Array.from(v.map((x) => x / n));
};
const cos = (a: Float32Array, b: Float32Array) => a.reduce((s, v, i) => s + v * b[i], 0);

describe('box geometry', () => {
  it('IoU of identical, half-overlapping and disjoint boxes', () => {
    expect(iou(box(0, 0), box(0, 0))).toBe(1);
    expect(iou(box(0, 0), box(50, 0))).toBeCloseTo(50 / 150, 10);
    expect(iou(box(0, 0), box(200, 0))).toBe(0);
  });
  it('centre shift relative to the first box', () => {
    expect(centreShift(box(0, 0), box(30, 40))).toBeCloseTo(0.5, 10);
  });
});

describe('squareAround', () => {
  it('is centred on the box, its larger side plus the margin on each side', () => {
    expect(squareAround({ x_min: 100, y_min: 50, x_max: 140, y_max: 150 }, 0.5)).toEqual({
      x: 20,
      y: 0,
      side: 200,
    });
    expect(squareAround(box(10, 10, 50), 0)).toEqual({ x: 10, y: 10, side: 50 });
  });
});

describe('associate', () => {
  it('pairs by IoU first, one to one, whatever the order', () => {
    const pairs = associate([box(0, 0), box(300, 0)], [box(310, 5), box(5, 5), box(600, 0)]);
    expect(pairs.sort()).toEqual([
      [0, 1],
      [1, 0],
    ]);
  });
  it('falls back to centre distance for a fast move with little overlap', () => {
    // IoU of a 100-px face moved 45 px: 55/145 ≈ 0.38 at 45 px; at 60 px only 0.25, but the centre moved 0.6 side
    expect(associate([box(0, 0)], [box(60, 0)], 0.3, 0.5)).toEqual([]);
    expect(associate([box(0, 0)], [box(40, 0, 60)], 0.5, 0.5)).toEqual([[0, 0]]);
  });
});

describe('faceQuality', () => {
  it('grows with size and is highest for a frontal face', () => {
    const frontal: [number, number][] = [
      [30, 40],
      [70, 40],
      [50, 60],
    ];
    const turned: [number, number][] = [
      [30, 40],
      [70, 40],
      [35, 60],
    ];
    expect(faceQuality(box(0, 0), frontal)).toBeCloseTo(100, 6);
    expect(faceQuality(box(0, 0, 200), frontal)).toBeCloseTo(200, 6);
    expect(faceQuality(box(0, 0), turned)).toBeLessThan(70);
  });
});

describe('fuseEmbedding', () => {
  it('is the quality-weighted mean, L2-normalised', () => {
    const f = fuseEmbedding(unit(1, 0), 3, unit(0, 1), 1);
    expect(Array.from(f)).toEqual([
      expect.closeTo(3 / Math.hypot(3, 1), 6),
      expect.closeTo(1 / Math.hypot(3, 1), 6),
    ]);
  });
});

describe('FaceTracker', () => {
  it('keeps a moving face on one track, starts a second for a new face, and ends tracks after maxMisses', () => {
    const t = new FaceTracker({ maxMisses: 2 });
    const u1 = t.update([det(0, 0)], 0);
    expect(u1.born).toHaveLength(1);
    const id = u1.tracks[0].id;
    const u2 = t.update([det(20, 10), det(400, 0)], 40);
    expect(u2.tracks[0].id).toBe(id);
    expect(u2.tracks[0].box).toEqual(box(20, 10));
    expect(u2.born.map((x) => x.id)).toEqual([u2.tracks[1].id]);
    expect(t.update([det(400, 0)], 80).died).toEqual([]);
    expect(t.update([det(400, 0)], 120).died).toEqual([]);
    const u5 = t.update([det(400, 0)], 160);
    expect(u5.died.map((x) => x.id)).toEqual([id]);
    expect(t.tracks).toHaveLength(1);
    expect(t.update([], 200).died).toEqual([]);
  });

  it('a scoped update (crops around some tracks) neither matches nor ages the others', () => {
    const t = new FaceTracker({ maxMisses: 0 });
    const [a, b] = t.update([det(0, 0), det(400, 0)], 0).tracks;
    const u = t.update([det(5, 0)], 40, [a]);
    expect(u.tracks).toEqual([a]);
    expect(b.misses).toBe(0);
    expect(t.tracks).toEqual([a, b]);
    expect(t.update([], 80, [b]).died).toEqual([b]);
  });

  it('remove ends one track at once and leaves the others', () => {
    const t = new FaceTracker();
    const [a, b] = t.update([det(0, 0), det(300, 0)], 0).tracks;
    t.remove(a);
    expect(t.tracks).toEqual([b]);
    t.remove(a);
    expect(t.tracks).toEqual([b]);
    expect(t.update([det(2, 0)], 1).born).toHaveLength(1);
  });

  it('embeds a track once, then only when quality improves enough or the identity gets old', () => {
    const t = new FaceTracker({ reembedGain: 1.25, reembedAfterMs: 1000 });
    const [track] = t.update([det(0, 0, 100)], 0).tracks;
    expect(t.needsEmbedding(track, 0)).toBe(true);
    t.addEmbedding(track, unit(1, 0), 0);
    expect(t.needsEmbedding(track, 10)).toBe(false);
    t.update([det(0, 0, 120)], 20);
    expect(t.needsEmbedding(track, 20)).toBe(false);
    t.update([det(0, 0, 130)], 40);
    expect(t.needsEmbedding(track, 40)).toBe(true);
    t.addEmbedding(track, unit(1, 1), 40);
    expect(track.embeddings).toBe(2);
    expect(track.embeddedQuality).toBe(130);
    // fused towards the better frame: weights 100 and 130
    expect(cos(track.identity!, unit(100 + 130 / Math.SQRT2, 130 / Math.SQRT2))).toBeCloseTo(1, 6);
    expect(t.needsEmbedding(track, 500)).toBe(false);
    expect(t.needsEmbedding(track, 1040)).toBe(true);
  });

  it('restarts the identity when a different face takes the track’s place', () => {
    const t = new FaceTracker();
    const [track] = t.update([det(0, 0)], 0).tracks;
    const same = (a: Float32Array, b: Float32Array) => cos(a, b) > 0.5;
    t.addEmbedding(track, unit(1, 0), 0, same);
    t.addEmbedding(track, unit(0.9, 0.1), 10, same);
    expect(track.embeddings).toBe(2);
    t.addEmbedding(track, unit(0, 1), 20, same);
    expect(track.embeddings).toBe(1);
    expect(Array.from(track.identity!)).toEqual([0, 1]);
  });
});

describe('BestOfTrack', () => {
  it('answers the best frame once the window has its frames, and restarts for another face', () => {
    const b = new BestOfTrack<string>(10_000, 3);
    expect(b.offer('a', box(0, 0), 5, 0)).toBeUndefined();
    expect(b.offer('b', box(2, 0), 9, 1)).toBeUndefined();
    expect(b.offer('c', box(4, 0), 7, 2)).toBe('b');
    // a face elsewhere restarts the window: the earlier face's frames do not count
    expect(b.offer('d', box(0, 0), 50, 3)).toBeUndefined();
    expect(b.offer('e', box(500, 0), 1, 4)).toBeUndefined();
    expect(b.frames).toBe(1);
    expect(b.offer('f', box(502, 0), 2, 5)).toBeUndefined();
    expect(b.offer('g', box(504, 0), 1.5, 6)).toBe('f');
  });

  it('closes the window after windowMs with fewer frames', () => {
    const b = new BestOfTrack<string>(100, 10);
    expect(b.offer('a', box(0, 0), 1, 0)).toBeUndefined();
    expect(b.offer('b', box(0, 0), 3, 50)).toBeUndefined();
    expect(b.offer('c', box(0, 0), 2, 100)).toBe('b');
  });
});
