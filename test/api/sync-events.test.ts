// Kiosk events filtered on the server (issue 20.4): GET /api/v1/recognition/sync/events by subject (part of a
// name, case-insensitive, % and _ literal), recognised or not, device and time range, paged with a total, and
// GET sync/events.csv exporting every event that the same filter selects. On PGlite and PostgreSQL (SQL).
import { beforeAll, expect, it } from 'vitest';
import type { KioskEvent, KioskEventPage } from '../../shared/sync-events.js';
import { createApp } from '../../server/src/app.js';
import { createLogger } from '../../server/src/http/logger.js';
import { createSyncService } from '../../server/src/services/sync.js';
import { client, describeApiOnEachDatabase, read } from './harness.js';

const box = { x_min: 10, y_min: 20, x_max: 110, y_max: 140 };
const T0 = Date.parse('2026-11-30T08:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

/** [device, event id, minutes after T0, subject] */
const PUSHED: [string, string, number, string | null][] = [
  ['door', 'e1', 0, 'Alice'],
  ['door', 'e2', 60, null],
  ['door', 'e3', 60 * 24, 'alice b'],
  ['lobby', 'e1', 60, 'Bob'],
  ['lobby', 'e2', 60 * 25, '50% Ann_x'],
  ['lobby', 'e3', 60 * 48, null],
  ['lobby', 'e4', 60 * 48, '=cmd()'],
];

describeApiOnEachDatabase('kiosk events filtered on the server', (ctx) => {
  let api: ReturnType<typeof client>;
  let other: ReturnType<typeof client>;
  let anonymous: ReturnType<typeof client>;
  const list = async (query: string) => {
    const r = await read<KioskEventPage>(api.get(`/api/v1/recognition/sync/events?${query}`));
    expect(r.status, query).toBe(200);
    return r.body;
  };
  const ids = (page: KioskEventPage) => page.events.map((e) => `${e.device_id}/${e.event_id}`);

  beforeAll(async () => {
    const { config, services, db, engine, keys } = ctx();
    const app = createApp({
      config,
      services,
      logger: createLogger('error', () => {}),
      sync: createSyncService({ db, engine, collections: services.collections }),
    });
    api = client(app, keys.recognition);
    const second = await services.createService({ type: 'recognition', name: 'events-other' });
    other = client(app, second.apiKey);
    anonymous = client(app, undefined);
    for (const device of ['door', 'lobby']) {
      const events = PUSHED.filter((p) => p[0] === device).map(([, id, m, subject]) => ({
        event_id: id,
        at: T0 + m * 60_000,
        subject,
        similarity: subject ? 0.81234 : 0.2,
        box,
      }));
      const r = await read(api.json('POST', '/api/v1/recognition/sync/push', { device_id: device, events }));
      expect(r).toMatchObject({ status: 200, body: { events: { received: events.length } } });
    }
    await other.json('POST', '/api/v1/recognition/sync/push', {
      device_id: 'elsewhere',
      events: [{ event_id: 'x', at: T0, subject: 'Alice', similarity: 0.9, box }],
    });
  });

  it('lists newest first with the total and the devices, and only the service’s own events', async () => {
    const all = await list('');
    expect(all.total).toBe(7);
    expect(all.devices).toEqual(['door', 'lobby']);
    expect(all).toMatchObject({ offset: 0, limit: 100 });
    // equal times (lobby e3, e4) come in a fixed order: device, then event id
    expect(ids(all)).toEqual([
      'lobby/e3',
      'lobby/e4',
      'lobby/e2',
      'door/e3',
      'door/e2',
      'lobby/e1',
      'door/e1',
    ]);
    expect(all.events[0]).toEqual<KioskEvent>({
      device_id: 'lobby',
      event_id: 'e3',
      at: at(60 * 48),
      subject: null,
      similarity: expect.closeTo(0.2, 5) as number,
      box,
    });
  });

  it('filters by part of a name (case-insensitive, % and _ taken literally), recognised or not, device', async () => {
    expect(ids(await list('subject=ALICE'))).toEqual(['door/e3', 'door/e1']);
    expect(ids(await list('subject=%25'))).toEqual(['lobby/e2']);
    expect(ids(await list('subject=n_x'))).toEqual(['lobby/e2']);
    expect((await list('subject=a_i')).total).toBe(0);
    expect(ids(await list('unknown=true'))).toEqual(['lobby/e3', 'door/e2']);
    expect((await list('unknown=false')).total).toBe(5);
    expect(ids(await list('device=door'))).toEqual(['door/e3', 'door/e2', 'door/e1']);
    expect(ids(await list('device=door&unknown=false&subject=alice'))).toEqual(['door/e3', 'door/e1']);
    expect((await list('device=doo')).total).toBe(0);
    const filtered = await list('device=door&subject=nobody');
    expect(filtered).toMatchObject({ total: 0, events: [], devices: ['door', 'lobby'] });
  });

  it('filters by time: from inclusive, to exclusive, dates as UTC midnight, offsets honoured', async () => {
    expect(
      ids(await list(`from=${encodeURIComponent(at(60))}&to=${encodeURIComponent(at(60 * 24))}`)),
    ).toEqual(['door/e2', 'lobby/e1']);
    expect(ids(await list('from=2026-12-01'))).toEqual(['lobby/e3', 'lobby/e4', 'lobby/e2', 'door/e3']);
    expect(ids(await list('to=2026-11-30T09:00'))).toEqual(['door/e1']);
    // 10:00 at +02:00 is 08:00Z: e1 (08:00Z) is on the boundary, included by from and excluded by to
    expect(
      ids(await list(`from=${encodeURIComponent('2026-11-30T10:00:00+02:00')}&device=door&to=2026-12-01`)),
    ).toEqual(['door/e2', 'door/e1']);
    expect((await list(`to=${encodeURIComponent('2026-11-30T10:00:00+02:00')}`)).total).toBe(0);
  });

  it('pages without gaps or overlaps, ties included', async () => {
    const seen: string[] = [];
    for (let offset = 0; offset < 8; offset += 3) {
      const page = await list(`limit=3&offset=${offset}`);
      expect(page).toMatchObject({ total: 7, limit: 3, offset });
      seen.push(...ids(page));
    }
    expect(seen).toEqual(ids(await list('')));
    expect((await list('limit=2&offset=100')).events).toEqual([]);
  });

  it('exports every event the same filter selects as CSV, whatever limit and offset say', async () => {
    const r = await api.get(
      '/api/v1/recognition/sync/events.csv?unknown=false&limit=1&offset=1&from=2026-12-01',
    );
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(r.headers.get('content-disposition')).toMatch(/attachment/);
    const lines = (await r.text()).split('\r\n');
    expect(lines).toEqual([
      'at,device_id,subject,similarity,x_min,y_min,x_max,y_max,event_id',
      `${at(60 * 48)},lobby,'=cmd(),0.8123,10,20,110,140,e4`,
      `${at(60 * 25)},lobby,50% Ann_x,0.8123,10,20,110,140,e2`,
      `${at(60 * 24)},door,alice b,0.8123,10,20,110,140,e3`,
      '',
    ]);
    const none = await api.get('/api/v1/recognition/sync/events.csv?device=nowhere');
    expect(await none.text()).toBe('at,device_id,subject,similarity,x_min,y_min,x_max,y_max,event_id\r\n');
    expect((await other.get('/api/v1/recognition/sync/events.csv')).status).toBe(200);
    // no key: CompreFace's 400 code 20, as on every key-authorised endpoint
    expect(await read(anonymous.get('/api/v1/recognition/sync/events.csv'))).toMatchObject({
      status: 400,
      body: { code: 20 },
    });
  });

  it('refuses bad filters with 400 code 26, on the list and the export alike', async () => {
    for (const q of [
      'from=2026-02-31',
      'from=yesterday',
      'to=2026-12-01T25:00Z',
      'from=1733000000',
      'from=2026-12-02&to=2026-12-01',
      'from=2026-12-01&to=2026-12-01',
      'unknown=maybe',
      `subject=${'a'.repeat(256)}`,
      `device=${'d'.repeat(65)}`,
    ]) {
      for (const path of ['events', 'events.csv']) {
        const r = await read(api.get(`/api/v1/recognition/sync/${path}?${q}`));
        expect(r, `${path}?${q}`).toMatchObject({ status: 400, body: { code: 26 } });
      }
    }
    for (const q of ['limit=0', 'limit=1001', 'offset=-1', 'offset=1.5']) {
      expect(await read(api.get(`/api/v1/recognition/sync/events?${q}`)), q).toMatchObject({
        status: 400,
        body: { code: 26 },
      });
    }
  });
});
