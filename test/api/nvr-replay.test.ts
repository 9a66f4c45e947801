// A CompreFace NVR integration replayed request for request (issue 13.6): the requests Double Take's CompreFace
// detector sends (jakowenko/double-take, api/src/util/detectors/compreface.js: recognize with
// `face_plugins=<FACE_PLUGINS>` in the URL and `det_prob_threshold` as a parameter, train with
// `POST /faces?subject=`, remove with `DELETE /faces?subject=`), plus the listing its UI shows, and every field
// its `normalize()` reads: `result`, `code` 28 as "no faces", `subjects[0].subject` and `.similarity`, the box
// corners, `age`, `gender` and `mask` with their `probability`, as a client written for CompreFace reads them.
import { expect, it } from 'vitest';
import { AGE_BUCKETS } from '../../server/src/services/compat-fields.js';
import { client, describeApi, read, sample } from './harness.js';

interface Face {
  box: { probability: number; x_min: number; y_min: number; x_max: number; y_max: number };
  subjects: { subject: string; similarity: number }[];
  age?: { low: number; high: number; probability: number };
  gender?: { value: string; probability: number };
  mask?: { value: string; probability: number };
  execution_time?: Record<string, number>;
}
interface Recognized {
  result?: Face[];
  code?: number;
  message?: string;
}

// The integration's settings: the plugins popular NVR guides suggest and its default threshold.
const FACE_PLUGINS = 'mask,gender,age';
const DET_PROB_THRESHOLD = 0.8;
const RECOGNIZE = `/api/v1/recognition/recognize?face_plugins=${FACE_PLUGINS}&det_prob_threshold=${DET_PROB_THRESHOLD}`;
const FACES = '/api/v1/recognition/faces';

describeApi('NVR integration replay', (ctx) => {
  const nvr = () => client(ctx().app, ctx().keys.recognition);
  const upload = (path: string, name: string) => nvr().multipart(path, { file: [sample(name), name] });

  it('trains two people, lists them, recognizes with mask,gender,age at 0.8, removes one', async () => {
    // train: POST /faces?subject=<name> with the snapshot as `file`; axios throws on anything but 2xx.
    for (const [name, file] of [
      ['alice', '004_A.jpg'],
      ['alice', '006_A.jpg'],
      ['bob', '007_B.jpg'],
    ]) {
      const trained = await read<{ image_id: string; subject: string }>(
        upload(`${FACES}?subject=${name}`, file),
      );
      expect(trained.status, file).toBe(201);
      expect(trained.body).toEqual({ image_id: expect.any(String), subject: name });
    }

    // The listing an NVR UI shows: subjects, and a subject's examples in CompreFace's page envelope.
    const subjects = await read<{ subjects: string[] }>(nvr().get('/api/v1/recognition/subjects'));
    expect(subjects.body.subjects).toEqual(expect.arrayContaining(['alice', 'bob']));
    const listed = await read<{ faces: { image_id: string; subject: string }[]; total_elements: number }>(
      nvr().get(`${FACES}?subject=alice`),
    );
    expect(listed.body.total_elements).toBe(2);
    expect(listed.body.faces.every((f) => f.subject === 'alice')).toBe(true);

    // recognize: a new photo of each person, exactly as the integration sends it.
    for (const [who, file] of [
      ['alice', '001_A.jpg'],
      ['bob', '008_B.jpg'],
    ]) {
      const r = await read<Recognized>(upload(RECOGNIZE, file));
      expect(r.status, file).toBe(200);
      expect(r.body.result, file).toHaveLength(1);
      const face = r.body.result![0];
      const [best] = face.subjects;
      expect(best.subject).toBe(who);
      // normalize(): confidence = similarity * 100, a match at the integration's default of 60.
      expect(best.similarity * 100).toBeGreaterThanOrEqual(60);
      expect(best.similarity).toBeLessThanOrEqual(1);
      const { box } = face;
      for (const k of ['x_min', 'y_min', 'x_max', 'y_max'] as const)
        expect(Number.isInteger(box[k]), k).toBe(true);
      expect(box.x_max - box.x_min).toBeGreaterThan(0);
      expect(box.y_max - box.y_min).toBeGreaterThan(0);
      // age: one of CompreFace's buckets; gender: male/female; both with a probability (read as * 100).
      expect(AGE_BUCKETS.map(([low, high]) => `${low}-${high}`)).toContain(
        `${face.age?.low}-${face.age?.high}`,
      );
      expect(face.age?.probability).toBeGreaterThan(0);
      expect(face.age?.probability).toBeLessThanOrEqual(1);
      expect(['male', 'female']).toContain(face.gender?.value);
      expect(face.gender?.probability).toBeGreaterThanOrEqual(0.5);
      expect(face.gender?.probability).toBeLessThanOrEqual(1);
      // status defaults to false: no execution_time, no plugins_versions (CompreFace's STATUS_DEFAULT_VALUE).
      expect(face.execution_time).toBeUndefined();
      expect(r.body).not.toHaveProperty('plugins_versions');

      // ---- FINAL ASSERTIONS that depend on work landing from other helpers (lead: check these) ----
      // H2 (issue 13.2, the mask plugin): `mask` answered on every face with CompreFace's three values.
      expect(['without_mask', 'with_mask', 'mask_weared_incorrect']).toContain(face.mask?.value);
      expect(face.mask?.probability).toBeGreaterThan(0);
      expect(face.mask?.probability).toBeLessThanOrEqual(1);
      // H1 (issue 13.1, calibrated probability): a clear face of persons A and B scores >= 0.99, 5 decimals.
      expect(box.probability).toBeGreaterThanOrEqual(0.99);
      expect(box.probability).toBeLessThanOrEqual(1);
      expect(Math.round(box.probability * 1e5) / 1e5).toBe(box.probability);
      // ---- end of the assertions that depend on H1/H2 ----
    }

    // With status=true: execution_time in integer milliseconds under CompreFace's keys, one per plugin that ran.
    const timed = await read<Recognized & { plugins_versions?: Record<string, string> }>(
      upload(`${RECOGNIZE}&status=true`, '001_A.jpg'),
    );
    const times = timed.body.result?.[0].execution_time ?? {};
    for (const [k, ms] of Object.entries(times)) expect(Number.isInteger(ms), k).toBe(true);
    // (mask: H2's plugin, see the final assertions above)
    expect(Object.keys(times)).toEqual(
      expect.arrayContaining(['detector', 'calculator', 'age', 'gender', 'mask']),
    );
    expect(Object.keys(timed.body.plugins_versions ?? {})).toEqual(
      expect.arrayContaining(['detector', 'calculator']),
    );

    // No face: CompreFace's 400 with code 28, which the integration reads as "no faces".
    const empty = await read<Recognized>(upload(RECOGNIZE, '017_0.jpg'));
    expect(empty).toEqual({
      status: 400,
      body: { message: 'No face is found in the given image', code: 28 },
    });

    // remove: DELETE /faces?subject=<name> takes the examples and the subject.
    expect(await read(nvr().delete(`${FACES}?subject=alice`))).toEqual({ status: 200, body: { deleted: 2 } });
    const after = await read<{ subjects: string[] }>(nvr().get('/api/v1/recognition/subjects'));
    expect(after.body.subjects).not.toContain('alice');
    expect(after.body.subjects).toContain('bob');
    const again = await read<Recognized>(upload(RECOGNIZE, '001_A.jpg'));
    expect(again.status).toBe(200);
    expect(again.body.result?.[0].subjects.map((s) => s.subject)).not.toContain('alice');
  });
});
