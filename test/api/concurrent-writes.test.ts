// Concurrent clients on one face collection, as a busy integration sends them: several keep-alive clients add
// examples, rename (and merge) and delete subjects and examples and list and recognise at once, and the service is
// deleted while requests are in flight. No answer is a 5xx (a race between two requests is not a server fault), and
// the collection ends consistent: every listed example belongs to a listed subject.
import { expect, it } from 'vitest';
import { base64, client, describeApiOnEachDatabase, read, sample } from './harness.js';

const R = '/api/v1/recognition';
const PHOTOS = ['001_A.jpg', '002_A.jpg', '003_A.jpg', '007_B.jpg', '008_B.jpg'].map((f) =>
  base64(sample(f)),
);
const NAMES = ['Ann', 'Ben', 'Cat', 'Dan'];

interface Answer {
  op: string;
  status: number;
  body: unknown;
}

describeApiOnEachDatabase('concurrent writes to one collection', (ctx) => {
  /** One client's run of mixed operations; `k` varies which subject and photo each step uses. */
  async function clientRun(key: string, k: number, steps: number, app = ctx().app): Promise<Answer[]> {
    const c = client(app, key);
    const out: Answer[] = [];
    for (let i = 0; i < steps; i++) {
      const name = NAMES[(i + k) % NAMES.length];
      const other = NAMES[(i + k + 1) % NAMES.length];
      const photo = PHOTOS[(i * 3 + k) % PHOTOS.length];
      const step = (i + k) % 7;
      const [op, res] =
        step <= 1
          ? ['add', c.json('POST', `${R}/faces?subject=${name}`, { file: photo })]
          : step === 2
            ? ['rename', c.json('PUT', `${R}/subjects/${name}`, { subject: other })]
            : step === 3
              ? ['delete subject', c.delete(`${R}/subjects/${name}`)]
              : step === 4
                ? ['create subject', c.json('POST', `${R}/subjects`, { subject: name })]
                : step === 5
                  ? ['delete examples', c.delete(`${R}/faces?subject=${name}`)]
                  : ['recognize', c.json('POST', `${R}/recognize?limit=0`, { file: photo })];
      out.push({ op, ...(await read(res)) });
      if (i % 5 === 4) out.push({ op: 'list', ...(await read(c.get(`${R}/faces?page=0&size=50`))) });
    }
    return out;
  }

  it('answers every request of four concurrent clients without a 5xx and stays consistent', async () => {
    const key = ctx().keys.recognition;
    const answers = (await Promise.all([0, 1, 2, 3].map((k) => clientRun(key, k, 21)))).flat();
    expect(answers.filter((a) => a.status >= 500)).toEqual([]);
    // every step was answered; adds, recognitions and listings never depend on the others' timing, so they succeed
    // (a rename or deletion may find its subject already gone, or a subject already made: 404 / 409 as CompreFace)
    expect(answers).toHaveLength(4 * (21 + 4));
    const ok = (op: string) => answers.filter((a) => a.op === op && a.status < 300).length;
    const all = (op: string) => answers.filter((a) => a.op === op).length;
    for (const op of ['add', 'recognize', 'list']) expect(ok(op), op).toBe(all(op));
    for (const a of answers.filter((x) => x.status >= 300)) expect([400, 404, 409], a.op).toContain(a.status);
    const c = client(ctx().app, key);
    const subjects = (await read<{ subjects: string[] }>(c.get(`${R}/subjects`))).body.subjects;
    const faces = (await read<{ faces: { subject: string }[] }>(c.get(`${R}/faces?page=0&size=1000`))).body
      .faces;
    const known = new Set(subjects);
    expect(faces.filter((f) => !known.has(f.subject))).toEqual([]);
  });

  it('answers requests in flight while the service is deleted with 4xx, not 5xx', async () => {
    const { services } = ctx();
    const svc = await services.createService({ type: 'recognition', name: 'going away' });
    const c = client(ctx().app, svc.apiKey);
    // some examples first, so the deletion has a collection to remove
    for (const name of NAMES)
      expect((await read(c.json('POST', `${R}/faces?subject=${name}`, { file: PHOTOS[0] }))).status).toBe(
        201,
      );
    const ref = await services.resolveKey(svc.apiKey, 'recognition');
    // without the refusal delay a flood of refused requests gets (REFUSAL_DELAY): the refusals come at once
    const app = ctx().appWith({ refusalDelay: 0 });
    const inFlight = [0, 1, 2, 3].map((k) => clientRun(svc.apiKey, k, 14, app));
    await new Promise((r) => setTimeout(r, 30));
    await services.collections.deleteService({ id: ref.id, type: 'recognition' });
    const answers = (await Promise.all(inFlight)).flat();
    expect(answers.filter((a) => a.status >= 500)).toEqual([]);
    // after the deletion the key is unknown
    expect((await read(c.get(`${R}/subjects`))).status).toBeGreaterThanOrEqual(400);
  });
});
