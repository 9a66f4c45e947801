// /api/v1/recognition/sync: device sync for a recognition service, authorised by its x-api-key.
//   GET  /config          the service's embedder (the model a device's engine loads) and threshold
//   GET  /pull?cursor=…   subjects and embeddings changed since the cursor (a snapshot without one)
//   POST /push            {device_id, examples: [...], events: [...]} enrolled examples and queued events
//   GET  /events?…        the events devices pushed, newest first: filter (subject, unknown, device, from, to)
//                         and page (limit, offset); answers the total and the service's devices
//   GET  /events.csv?…    every event matching the same filter, as CSV
// Rules and the conflict policy: server/src/services/sync.ts.
import { Hono } from 'hono';
import { apiKey } from '../http/api-key.js';
import type { AppEnv, RouteDeps } from '../http/env.js';
import { readJsonObject } from '../http/json.js';
import { eventFilter, eventQuery } from '../http/event-query.js';
import type { SyncService } from '../services/sync.js';

/** Mount with `app.route('/api/v1/recognition/sync', syncRoutes(routeDeps, createSyncService({db, engine, collections})))`. */
export function syncRoutes({ services }: Pick<RouteDeps, 'services'>, sync: SyncService) {
  return new Hono<AppEnv>()
    .use('*', apiKey(services, 'recognition'))
    .get('/config', (c) => c.json(sync.config(c.get('service'))))
    .get('/pull', async (c) => c.json(await sync.pull(c.get('service'), c.req.query('cursor') || undefined)))
    .post('/push', async (c) => c.json(await sync.push(c.get('service'), await readJsonObject(c))))
    .get('/events', async (c) => c.json(await sync.events(c.get('service'), eventQuery(c))))
    .get('/events.csv', async (c) =>
      c.body(await sync.eventsCsv(c.get('service'), eventFilter(c)), 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': 'attachment; filename="events.csv"',
      }),
    );
}
