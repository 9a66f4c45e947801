// The sync contract's refusals (contracts/sync.ts): a malformed push body and bad event filters are 400 code 26
// with the same sentences as ever, checked before any work; a bad example inside a valid push is answered per
// example (services/sync.ts) and the others are written.
import { beforeAll, expect, it } from 'vitest';
import { createApp } from '../../server/src/app.js';
import { loadConfig } from '../../server/src/config.js';
import { createLogger } from '../../server/src/http/logger.js';
import { createSyncService } from '../../server/src/services/sync.js';
import { client, describeApi, read } from './harness.js';

const box = { x_min: 10, y_min: 20, x_max: 110, y_max: 140 };
const event = {
  event_id: 'e1',
  at: Date.parse('2026-12-01T08:00:00Z'),
  subject: 'Ada',
  similarity: 0.9,
  box,
};
const push = '/api/v1/recognition/sync/push';

describeApi('sync contract: refusals', (ctx) => {
  let api: ReturnType<typeof client>;
  let embedder = '';
  let dim = 0;
  const refusal = async (body: unknown) => {
    const r = await read(api.json('POST', push, body));
    return [r.status, r.body.code, r.body.message];
  };

  beforeAll(async () => {
    const { config, services, db, engine, keys } = ctx();
    const app = createApp({
      // the suite's config with refusals one after another never held back (REFUSAL_DELAY)
      config: loadConfig({ VISOR_DATA_DIR: config.dataDir, LOG_LEVEL: 'error', REFUSAL_DELAY: '0' }),
      services,
      logger: createLogger('error', () => {}),
      sync: createSyncService({ db, engine, collections: services.collections }),
    });
    api = client(app, keys.recognition);
    const c = await read<{ embedder: string; dim: number }>(api.get('/api/v1/recognition/sync/config'));
    ({ embedder, dim } = c.body);
  });

  it('refuses a malformed push with 26 and the sentence for the first bad field', async () => {
    const device = 'device_id must be a string of 1 to 64 characters';
    const examples = 'examples must be an array of at most 100';
    const events = 'events must be an array of at most 1000';
    const cases: [unknown, string][] = [
      [{}, device],
      [{ device_id: '' }, device],
      [{ device_id: 'd'.repeat(65) }, device],
      [{ device_id: 7 }, device],
      [{ device_id: null, examples: 'x', events: 'y' }, device],
      [{ device_id: 'kiosk', examples: 'x' }, examples],
      [{ device_id: 'kiosk', examples: {}, events: 'y' }, examples],
      [{ device_id: 'kiosk', examples: Array(101).fill({}) }, examples],
      [{ device_id: 'kiosk', events: {} }, events],
      [{ device_id: 'kiosk', events: Array(1001).fill(event) }, events],
      [{ device_id: 'kiosk', events: [...Array(1000).fill(event), 5] }, events],
      [{ device_id: 'kiosk', events: [event, null] }, 'events[1] is malformed'],
      [
        { device_id: 'kiosk', events: [event, event, { ...event, at: '2026-12-01' }, 5] },
        'events[2] is malformed',
      ],
      [{ device_id: 'kiosk', events: [{ ...event, subject: 'x'.repeat(51) }] }, 'events[0] is malformed'],
      [{ device_id: 'kiosk', events: [{ ...event, event_id: 'x'.repeat(65) }] }, 'events[0] is malformed'],
      [{ device_id: 'kiosk', events: [{ ...event, similarity: 1.5 }] }, 'events[0] is malformed'],
      [{ device_id: 'kiosk', events: [{ ...event, box: { ...box, x_max: '9' } }] }, 'events[0] is malformed'],
      [{ device_id: 'kiosk', events: [{ ...event, subject: undefined }] }, 'events[0] is malformed'],
    ];
    for (const [body, message] of cases)
      expect(await refusal(body), JSON.stringify(body)).toEqual([400, 26, message]);
    // not an object: 36, as every JSON endpoint
    for (const body of ['[]', '"x"', '', '{'])
      expect((await refusal(body)).slice(0, 2), body).toEqual([400, 36]);
  });

  it('writes nothing from a refused push', async () => {
    const id = crypto.randomUUID();
    const example = { image_id: id, subject: 'Refused', embedder, embedding: Array(dim).fill(0.1) };
    expect((await refusal({ device_id: 'kiosk', examples: [example], events: [5] }))[2]).toBe(
      'events[0] is malformed',
    );
    const pulled = await read<{ examples: { image_id: string }[] }>(api.get('/api/v1/recognition/sync/pull'));
    expect(pulled.body.examples.map((e) => e.image_id)).not.toContain(id);
  });

  it('accepts absent or null lists and long names counted in characters', async () => {
    for (const body of [
      { device_id: 'k'.repeat(64) },
      { device_id: 'kiosk', examples: null, events: null },
      { device_id: 'kiosk', events: [{ ...event, event_id: 'e2', subject: '😀'.repeat(50), extra: 1 }] },
      { device_id: 'kiosk', events: [{ ...event, event_id: 'e3', subject: null, similarity: 0 }] },
    ]) {
      expect(await read(api.json('POST', push, body)), JSON.stringify(body)).toMatchObject({ status: 200 });
    }
  });

  it('answers each bad example inside a valid push and writes the good ones', async () => {
    const good = crypto.randomUUID();
    const other = 'someone-else@1';
    const r = await read(
      api.json('POST', push, {
        device_id: 'kiosk',
        examples: [
          5,
          null,
          { image_id: 'not-a-uuid', subject: 'A', embedder, embedding: [] },
          { image_id: good, subject: 'Grace', embedder, embedding: Array(dim).fill(0.1) },
          { image_id: crypto.randomUUID(), subject: 'A', embedder: other, embedding: [] },
          { image_id: crypto.randomUUID(), subject: 'A', embedder, embedding: [1] },
          { image_id: crypto.randomUUID(), subject: '', embedder, embedding: Array(dim).fill(0.1) },
        ],
      }),
    );
    expect(r.status).toBe(200);
    expect(r.body.examples).toEqual([
      { image_id: 'undefined', status: 'rejected', message: 'example must be an object' },
      { image_id: 'undefined', status: 'rejected', message: 'example must be an object' },
      { image_id: 'not-a-uuid', status: 'rejected', message: 'image_id must be a UUID' },
      { image_id: good, status: 'created' },
      expect.objectContaining({
        status: 'rejected',
        message: `embedded by ${other}; this server compares ${embedder}`,
      }),
      expect.objectContaining({ status: 'rejected', message: `embedding must have ${dim} values` }),
      expect.objectContaining({ status: 'rejected', message: 'Subject name is empty' }),
    ]);
  });

  it('refuses bad event filters with 26 and the sentence naming the parameter', async () => {
    const refused = async (q: string) => {
      const r = await read(api.get(`/api/v1/recognition/sync/events?${q}`));
      const csv = await read(api.get(`/api/v1/recognition/sync/events.csv?${q}`));
      return [r.status, r.body.code, r.body.message, csv.status, csv.body.message];
    };
    const cases: [string, string][] = [
      [`subject=${'a'.repeat(256)}`, 'subject must be at most 255 characters'],
      [`device=${'d'.repeat(65)}`, 'device must be at most 64 characters'],
      ['from=2026-02-31', "from must be an ISO 8601 date or date-time, got '2026-02-31'"],
      ['to=2026-12-01T25:00Z', "to must be an ISO 8601 date or date-time, got '2026-12-01T25:00Z'"],
      [`from=${'1'.repeat(41)}`, 'from must be at most 40 characters'],
      ['unknown=maybe', "unknown must be true or false, got 'maybe'"],
      ['from=2026-12-02&to=2026-12-01', 'from must be before to'],
      // the first bad parameter in the order subject, device, from, to, unknown
      ['unknown=maybe&from=x&device=' + 'd'.repeat(65), 'device must be at most 64 characters'],
      ['unknown=maybe&to=x', "to must be an ISO 8601 date or date-time, got 'x'"],
    ];
    for (const [q, message] of cases) expect(await refused(q), q).toEqual([400, 26, message, 400, message]);
    for (const [q, message] of [
      ['limit=0', "limit must be an integer from 1 to 1000, got '0'"],
      ['limit=abc', "limit must be an integer from 1 to 1000, got 'abc'"],
      ['offset=-1', "offset must be an integer from 0 to 2147483647, got '-1'"],
      ['offset=1&limit=x&unknown=maybe', "unknown must be true or false, got 'maybe'"],
      ['offset=x&limit=x', "limit must be an integer from 1 to 1000, got 'x'"],
    ]) {
      const r = await read(api.get(`/api/v1/recognition/sync/events?${q}`));
      expect([r.status, r.body.code, r.body.message], q).toEqual([400, 26, message]);
    }
    // the export has no paging: limit and offset are not its parameters
    expect((await read(api.get('/api/v1/recognition/sync/events.csv?limit=x&offset=y'))).status).toBe(200);
    // blank is absent; the first of repeated values counts
    expect((await read(api.get('/api/v1/recognition/sync/events?limit=%20&unknown=&from=+'))).status).toBe(
      200,
    );
    expect((await read(api.get('/api/v1/recognition/sync/events?limit=2&limit=x'))).body).toMatchObject({
      limit: 2,
    });
  });
});
