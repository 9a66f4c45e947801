// Applications and face services over their whole life: clone copies the collection (rows and image files),
// request counts and collection sizes reach the dashboard, deleting a service or an application leaves
// nothing behind (rows, image files, members), with images stored as files.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { createRequestCounter } from '../../server/src/services/admin/index.js';
import { describeStorage } from '../storage/backends.js';
import { countRows, faceApi, fillCollection } from './collections.js';
import { buildAdminApp, makeUser } from './harness.js';

describeStorage(
  'application and service lifecycle',
  (get) => {
    it('clones a service with its collection, counts requests per day, and deletes an application without leftovers', async () => {
      const { config, db } = get();
      expect(config.saveImagesToDb).toBe(false);
      const counter = createRequestCounter(db, { flushMs: 60_000 });
      const { app, admin } = buildAdminApp(config, db, { flushRequestCounts: () => counter.flush() });
      const api = await faceApi(config, db, counter);
      try {
        const { agent: me, user } = await makeUser(app, admin, 'builder@example.org');
        const appId = (await me.post('/admin/apps', { name: 'Office' })).body.id as string;
        const svc = (
          await me.post(`/admin/apps/${appId}/services`, {
            name: 'Door',
            type: 'recognition',
            min_similarity: 0.6,
          })
        ).body;
        expect(svc).toMatchObject({
          name: 'Door',
          type: 'RECOGNITION',
          min_similarity: 0.6,
          subjects: 0,
          images: 0,
        });
        await fillCollection(config, db, svc.id, ['Ann', 'Bob'], 3);

        const clone = await me.post(`/admin/apps/${appId}/services/${svc.id}/clone`, { name: 'Door copy' });
        expect(clone.status).toBe(201);
        expect(clone.body).toMatchObject({
          name: 'Door copy',
          type: 'RECOGNITION',
          min_similarity: 0.6,
          subjects: 2,
          images: 6,
        });
        expect(clone.body.api_key).not.toBe(svc.api_key);
        const files = async (id: string) =>
          (await readdir(join(config.dataDir, 'images', id)).catch(() => [])).length;
        expect(await files(clone.body.id)).toBe(6);
        expect(await countRows(db, [clone.body.id])).toMatchObject({
          subjects: 2,
          examples: 6,
          orphan_embeddings: 0,
        });
        const [emb] = await db.query<{ n: number }>(
          'select count(*)::int as n from embeddings v join examples e on e.id = v.example_id where e.service_id = $1',
          [clone.body.id],
        );
        expect(emb.n).toBe(6);

        // requests through the face-service API are counted per service and day
        for (let i = 0; i < 3; i++) expect((await api.subjects(svc.api_key)).status).toBe(200);
        expect(await (await api.subjects(clone.body.api_key)).json()).toEqual({ subjects: ['Ann', 'Bob'] });
        const stats = (await me.get(`/admin/apps/${appId}/services/${svc.id}/stats?days=7`)).body;
        expect(stats).toEqual({
          subjects: 2,
          images: 6,
          requests: [{ day: new Date().toISOString().slice(0, 10), count: 3 }],
        });

        // a deleted service takes its collection and files
        expect((await me.delete(`/admin/apps/${appId}/services/${clone.body.id}`)).status).toBe(204);
        expect(await countRows(db, [clone.body.id])).toMatchObject({ services: 0, subjects: 0, examples: 0 });
        expect(await files(clone.body.id)).toBe(0);
        expect((await me.get(`/admin/apps/${appId}/services`)).body.services).toHaveLength(1);

        // deleting the application removes services, collections, images, counts and members
        const other = (await me.post(`/admin/apps/${appId}/services`, { name: 'Gate', type: 'VERIFICATION' }))
          .body;
        await me.post(`/admin/apps/${appId}/members`, { email: 'builder@example.org' }); // already a member: 409
        expect((await me.delete(`/admin/apps/${appId}`)).status).toBe(204);
        expect(await countRows(db, [svc.id, other.id])).toEqual({
          services: 0,
          subjects: 0,
          examples: 0,
          orphan_images: 0,
          orphan_embeddings: 0,
          request_days: 0,
        });
        expect(await files(svc.id)).toBe(0);
        expect(
          await db.query('select 1 from application_members where application_id = $1', [appId]),
        ).toEqual([]);
        expect((await me.get(`/admin/apps/${appId}`)).status).toBe(404);
        expect((await api.subjects(svc.api_key)).status).toBe(404);
        expect(user.role).toBe('OWNER');
      } finally {
        await counter.stop();
        await api.services.close();
      }
    });
  },
  { env: { SAVE_IMAGES_TO_DB: 'false' } },
);

describeStorage(
  'API keys across server processes',
  (get) => {
    it('a regenerated key stops working for the old value at once on every process', async () => {
      const { config, db } = get();
      const otherDb = await get().openAnother();
      const { app, admin } = buildAdminApp(config, db);
      const first = await faceApi(config, db);
      const second = await faceApi(config, otherDb);
      try {
        const { agent: me } = await makeUser(app, admin, 'keys@example.org');
        const appId = (await me.post('/admin/apps', { name: 'Keys' })).body.id as string;
        const svc = (await me.post(`/admin/apps/${appId}/services`, { name: 'Door', type: 'RECOGNITION' }))
          .body;
        for (const p of [first, second]) expect((await p.subjects(svc.api_key)).status).toBe(200);
        const viewer = await makeUser(app, admin, 'viewer@example.org');
        await me.post(`/admin/apps/${appId}/members`, { email: 'viewer@example.org', role: 'USER' });
        expect((await viewer.agent.get(`/admin/apps/${appId}/services/${svc.id}`)).body.api_key).toBe(
          svc.api_key,
        );

        const fresh = (await me.post(`/admin/apps/${appId}/services/${svc.id}/key`)).body.api_key as string;
        expect(fresh).toMatch(/^[0-9a-f-]{36}$/);
        expect(fresh).not.toBe(svc.api_key);
        for (const p of [first, second]) {
          const old = await p.subjects(svc.api_key);
          expect(old.status).toBe(404);
          expect((await old.json()).code).toBe(10);
          expect((await p.subjects(fresh)).status).toBe(200);
        }

        // a clone made through one process is searchable on the other (its index hears of it by NOTIFY)
        await fillCollection(config, db, svc.id, ['Ann'], 2);
        const clone = (await me.post(`/admin/apps/${appId}/services/${svc.id}/clone`)).body;
        expect(clone.name).toBe('Door (copy)');
        const ref = await second.services.resolveKey(clone.api_key, 'recognition');
        const search = () => second.services.recognizeEmbeddings(ref, [[1, 0, 0, 0]], { predictionCount: 1 });
        await expect
          .poll(async () => (await search()).result[0].similarities.map((m) => m.subject))
          .toEqual(['Ann']);
      } finally {
        await first.services.close();
        await second.services.close();
      }
    });
  },
  { backends: ['postgres'] },
);
