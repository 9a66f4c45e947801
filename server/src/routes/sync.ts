// /api/v1/recognition/sync: device sync for a recognition service, authorised by its x-api-key
// (contracts/sync.ts).
//   GET  /config          the service's embedder (the model a device's engine loads) and threshold
//   GET  /pull?cursor=…   subjects and embeddings changed since the cursor (a snapshot without one)
//   POST /push            {device_id, examples: [...], events: [...]} enrolled examples and queued events
//   GET  /events?…        the events devices pushed, newest first: filter (subject, unknown, device, from, to)
//                         and page (limit, offset); answers the total and the service's devices
//   GET  /events.csv?…    every event matching the same filter, as CSV
// Rules and the conflict policy: server/src/services/sync.ts.
import { SyncPushExample } from '../../../shared/api/sync.js';
import * as api from '../contracts/sync.js';
import { apiKey } from '../http/api-key.js';
import { contractApp, openapiJson } from '../http/contract.js';
import type { AppEnv, RouteDeps } from '../http/env.js';
import type { SyncService } from '../services/sync.js';

/** Mount with `app.route('/api/v1/recognition/sync', syncRoutes(routeDeps, createSyncService({db, engine, collections})))`. */
export function syncRoutes({ services }: Pick<RouteDeps, 'services'>, sync: SyncService) {
  const app = contractApp<AppEnv>();
  app.openAPIRegistry.register('SyncPushExample', SyncPushExample);
  app.use('*', apiKey(services, 'recognition'));
  app.openapi(api.syncConfig, (c) => c.json(sync.config(c.var.service), 200));
  app.openapi(api.syncPull, async (c) =>
    c.json(await sync.pull(c.var.service, c.req.valid('query').cursor || undefined), 200),
  );
  openapiJson(app, api.syncPush, async (c) =>
    c.json(await sync.push(c.var.service, c.req.valid('json')), 200),
  );
  app.openapi(api.syncEvents, async (c) =>
    c.json(await sync.events(c.var.service, c.req.valid('query')), 200),
  );
  app.openapi(api.syncEventsCsv, async (c) =>
    c.body(await sync.eventsCsv(c.var.service, c.req.valid('query')), 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': 'attachment; filename="events.csv"',
    }),
  );
  return app;
}
