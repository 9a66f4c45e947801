// The web app's plain modules (no DOM): request building, the curl command, error advice, overlays, JSON layout.
import { describe, expect, it } from 'vitest';
import { analyzeRequest, curlCommand } from '../../web/src/lib/api/analyze.js';
import { apiUrl } from '../../web/src/lib/api/client.js';
import { ApiError, toUiError } from '../../web/src/lib/api/errors.js';
import type { Connection, RecognizeResponse, VerifyResponse } from '../../web/src/lib/api/types.js';
import {
  describe as describeFaces,
  overlays,
  plainOverlay,
  verdict,
} from '../../web/src/lib/overlay/faces.js';
import { CALIBRATED_THRESHOLD, isMatch, matchThreshold } from '../../shared/match.js';
import { formatJson } from '../../web/src/lib/test/json.js';

const conn: Connection = { apiKey: '00000000-0000-0000-0000-000000000001', type: 'recognition', label: 'x' };
const box = { probability: 0.99, x_min: 10, y_min: 20, x_max: 110, y_max: 140 };

describe('requests', () => {
  it('builds CompreFace query strings, skipping unset values and keeping commas', () => {
    expect(
      apiUrl('recognition/recognize', { limit: undefined, face_plugins: 'age,gender', prediction_count: 1 }),
    ).toBe('/api/v1/recognition/recognize?face_plugins=age,gender&prediction_count=1');
    expect(apiUrl('recognition/faces', { subject: 'Ann & Bob' })).toBe(
      '/api/v1/recognition/faces?subject=Ann%20%26%20Bob',
    );
  });

  it('names the image parts per service type', () => {
    const a = new File([], 'a.jpg');
    const b = new File([], 'b.jpg');
    const params = { plugins: [], predictionCount: 1 };
    expect(analyzeRequest('verification', params, [a, b]).parts.map((p) => p.field)).toEqual([
      'source_image',
      'target_image',
    ]);
    expect(analyzeRequest('detection', params, [a]).path).toBe('detection/detect');
    expect(analyzeRequest('detection', params, [a]).query.prediction_count).toBeUndefined();
  });

  it('writes a curl command a shell runs as is', () => {
    const req = analyzeRequest('recognition', { plugins: ['landmarks'], predictionCount: 1 }, [
      new File([], "it's me.jpg"),
    ]);
    expect(curlCommand('http://localhost:8000', conn, req)).toBe(
      [
        "curl -X POST 'http://localhost:8000/api/v1/recognition/recognize?face_plugins=landmarks&prediction_count=1' \\",
        `  -H 'x-api-key: ${conn.apiKey}' \\`,
        `  -F 'file=@it'\\''s me.jpg'`,
      ].join('\n'),
    );
  });
});

describe('errors', () => {
  it('says what failed, why, and what to do', () => {
    const e = toUiError(
      'Uploading a.jpg',
      ApiError.fromBody(400, { message: 'More than one face in the source image', code: 31 }),
    );
    expect(e).toEqual({
      action: 'Uploading a.jpg',
      message: 'More than one face in the source image',
      hint: 'Crop the photo so that it shows only one face.',
    });
    expect(
      toUiError('Connecting', ApiError.fromBody(404, { message: 'x', code: 10 }), 'detection').hint,
    ).toContain('detection service');
  });

  it('treats an unreachable server and a proxy without a server alike', () => {
    expect(toUiError('Loading', new ApiError(0, undefined, 'network error')).message).toBe(
      'The server could not be reached.',
    );
    expect(toUiError('Loading', ApiError.fromBody(502, undefined)).hint).toContain('server is running');
    expect(toUiError('Loading', ApiError.fromBody(500, undefined)).hint).toContain('server log');
  });
});

describe('overlays', () => {
  it('shows the public boxes only in the kiosk presentation mode: no names, figures or landmarks', () => {
    const face = {
      box,
      landmarks: [[30, 60] as [number, number]],
      lines: ['Alice 97%', 'age 25-32'],
      kind: 'match' as const,
    };
    expect(plainOverlay([face])).toEqual([{ box, kind: 'match', landmarks: [], lines: [] }]);
    expect(face.lines).toHaveLength(2); // the operator's overlay is left as it was
  });

  it('labels a recognized face with its best subject and plugin facts, strangers as unknown', () => {
    const res: RecognizeResponse = {
      result: [
        {
          box,
          landmarks: [[1, 2]],
          age: { low: 25, high: 32, probability: 0.8 },
          gender: { value: 'female', probability: 0.97 },
          subjects: [{ subject: 'Ada', similarity: 0.98765 }],
        },
        { box, subjects: [] },
        // CompreFace always returns the nearest subject: 0.01 is a stranger, not Ada.
        { box, subjects: [{ subject: 'Ada', similarity: 0.01 }] },
      ],
    };
    const [faces] = overlays('recognition', res, 0.5);
    expect(faces[0].lines).toEqual(['Ada 0.99', 'age 25–32', 'female 97%']);
    expect(faces[0].kind).toBe('match');
    expect(faces[1]).toMatchObject({ lines: ['unknown'], kind: 'unknown', landmarks: [] });
    expect(faces[2]).toMatchObject({ lines: ['unknown', 'nearest Ada 0.01'], kind: 'unknown' });
    expect(describeFaces(faces)).toBe(
      '3 faces: Ada 0.99, age 25–32, female 97%; unknown; unknown, nearest Ada 0.01.',
    );
    // At a stricter threshold even Ada's 0.99 is unknown; the threshold itself is a match.
    expect(overlays('recognition', res, 0.995)[0][0].kind).toBe('unknown');
    expect(overlays('recognition', res, 0.98765)[0][0].kind).toBe('match');
  });

  it('splits a verification into the source and the target image', () => {
    const res: VerifyResponse = {
      result: [
        {
          source_image_face: { box },
          face_matches: [
            { box, similarity: 0.5 },
            { box, similarity: 0.02 },
          ],
        },
      ],
    };
    const [source, target] = overlays('verification', res, 0.5);
    expect(source[0].lines).toEqual(['source']);
    expect(target.map((f) => [f.lines[0], f.kind])).toEqual([
      ['same person 0.50', 'match'],
      ['not the same 0.02', 'unknown'],
    ]);
  });

  it('gives a verification a verdict at the threshold', () => {
    const res = (sims: number[]): VerifyResponse => ({
      result: [{ source_image_face: { box }, face_matches: sims.map((similarity) => ({ box, similarity })) }],
    });
    expect(verdict(res([0.02, 0.91]), 0.5)).toMatchObject({ same: true, best: 0.91 });
    expect(verdict(res([0.02, 0.31]), 0.5)).toMatchObject({ same: false, best: 0.31 });
    expect(verdict(res([0.02, 0.31]), 0.5).text).toBe(
      'Not the same person: best similarity 0.31 is below the threshold 0.50.',
    );
    expect(verdict(res([]), 0.5)).toMatchObject({ same: false, best: undefined });
  });
});

describe('match threshold (shared/match.ts)', () => {
  it("is the service's min_similarity when set, else the calibrated 0.5", () => {
    expect(matchThreshold(0.7)).toBe(0.7);
    expect(matchThreshold(null)).toBe(CALIBRATED_THRESHOLD);
    expect(matchThreshold(undefined)).toBe(0.5);
    // 0 is the server's "not set" (MIN_SIMILARITY default: always the nearest, as CompreFace).
    expect(matchThreshold(0)).toBe(0.5);
    expect(isMatch(0.5, 0.5)).toBe(true);
    expect(isMatch(0.49999, 0.5)).toBe(false);
  });
});

describe('formatJson', () => {
  it('keeps number arrays on one line', () => {
    expect(
      formatJson({
        landmarks: [
          [1, 2],
          [3, 4],
        ],
        box: { x: 1 },
        e: [],
      }),
    ).toBe('{\n  "landmarks": [[1, 2], [3, 4]],\n  "box": {\n    "x": 1\n  },\n  "e": []\n}');
  });
});
