// The web app's plain modules (no DOM): request building, the curl command, error advice, overlays, JSON layout.
import { describe, expect, it } from 'vitest';
import { analyzeRequest, curlCommand } from '../../web/src/lib/api/analyze.js';
import { apiUrl } from '../../web/src/lib/api/client.js';
import { ApiError, toUiError } from '../../web/src/lib/api/errors.js';
import type { Connection, RecognizeResponse, VerifyResponse } from '../../web/src/lib/api/types.js';
import { describe as describeFaces, overlays } from '../../web/src/lib/overlay/faces.js';
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
  it('labels a recognized face with its best subject and plugin facts', () => {
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
      ],
    };
    const [faces] = overlays('recognition', res);
    expect(faces[0].lines).toEqual(['Ada 0.99', 'age 25–32', 'female 97%']);
    expect(faces[0].kind).toBe('match');
    expect(faces[1]).toMatchObject({ lines: ['unknown'], kind: 'unknown', landmarks: [] });
    expect(describeFaces(faces)).toBe('2 faces: Ada 0.99, age 25–32, female 97%; unknown.');
  });

  it('splits a verification into the source and the target image', () => {
    const res: VerifyResponse = {
      result: [{ source_image_face: { box }, face_matches: [{ box, similarity: 0.5 }] }],
    };
    const [source, target] = overlays('verification', res);
    expect(source[0].lines).toEqual(['source']);
    expect(target[0].lines).toEqual(['similarity 0.50']);
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
