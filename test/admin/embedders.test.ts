// The admin API's embedder per service (issue 17.1) over the real engine's catalog: the list with dims, a service
// created with face-api's 128-d embedder, a bad choice refused with the choices named, a change answered 202 with
// its job (an empty collection switches at once), the job's state and the service's new embedder.
import { Hono } from 'hono';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FaceEngine } from '../../shared/engine/types.js';
import type { AppEnv } from '../../server/src/http/env.js';
import { errorHandler } from '../../server/src/http/errors.js';
import { testDecode, testEngine } from '../storage/test-engine.js';
import { adminRoutes } from '../../server/src/routes/admin/index.js';
import { createAdminServices } from '../../server/src/services/admin/index.js';
import { createFaceServices, type FaceServicesRuntime } from '../../server/src/services/face-services.js';
import { describeStorage } from '../storage/backends.js';
import { makeUser, quiet } from './harness.js';

let engine: FaceEngine;
beforeAll(async () => {
  engine = await testEngine();
});
afterAll(() => engine?.dispose());

describeStorage('admin: embedder per service', (get) => {
  let services: FaceServicesRuntime;
  afterAll(() => services?.close());

  it('lists, chooses at creation and changes a service’s embedder', async () => {
    const { config, db } = get();
    services = await createFaceServices({ config, db, engine, decode: testDecode });
    const admin = createAdminServices({ config, db, logger: quiet });
    const app = new Hono<AppEnv>().route('/admin', adminRoutes({ config, admin, embedders: services }));
    app.onError(errorHandler(quiet));
    const { agent: me } = await makeUser(app, admin, 'embedders@example.org');

    const list = await me.get('/admin/embedders');
    expect(list.status).toBe(200);
    expect(
      list.body.embedders.map((e: { id: string; dims: number; version: string }) => [
        e.id,
        e.dims,
        e.version,
      ]),
    ).toEqual([
      ['faceplugin-recognition', 512, 'faceplugin-recognition@1'],
      ['faceapi-recognition', 128, 'faceapi-recognition@1'],
    ]);

    const appId = (await me.post('/admin/apps', { name: 'Embedders' })).body.id as string;
    const bad = await me.post(`/admin/apps/${appId}/services`, {
      name: 'X',
      type: 'RECOGNITION',
      embedder: 'nope',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(
      /embedder nope is not available; choose one of faceplugin-recognition, faceapi-recognition/,
    );
    const plain = await me.post(`/admin/apps/${appId}/services`, { name: 'Plain', type: 'RECOGNITION' });
    expect(plain.body.embedder).toBe('faceplugin-recognition@1');
    const small = await me.post(`/admin/apps/${appId}/services`, {
      name: 'Small',
      type: 'RECOGNITION',
      embedder: 'faceapi-recognition',
    });
    expect(small.status).toBe(201);
    expect(small.body.embedder).toBe('faceapi-recognition@1');
    const path = `/admin/apps/${appId}/services/${small.body.id}/embedder`;
    expect((await me.get(path)).body).toEqual({ embedder: 'faceapi-recognition@1', job: null });

    const changed = await me.put(path, { embedder: 'faceplugin-recognition' });
    expect(changed.status).toBe(202);
    expect(changed.body.job).toMatchObject({ embedder: 'faceplugin-recognition@1', state: 'running' });
    await services.embedderJobsIdle();
    const after = await me.get(path);
    expect(after.body).toMatchObject({
      embedder: 'faceplugin-recognition@1',
      job: { embedder: 'faceplugin-recognition@1', state: 'done', total: 0, done: 0, failed: 0 },
    });
    expect((await me.put(path, { embedder: 42 })).status).toBe(400);
    // the clone keeps the original's embedder (its embeddings are copied)
    const clone = await me.post(`/admin/apps/${appId}/services/${plain.body.id}/clone`);
    expect(clone.body.embedder).toBe('faceplugin-recognition@1');
  });
});
