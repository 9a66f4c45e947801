// Test helpers: face services over a stub engine (enough for key resolution and subjects, no models), and a
// collection written straight through the repositories (subjects, examples, images, embeddings).
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import type { FaceEngine } from '../../shared/engine/types.js';
import type { Config } from '../../server/src/config.js';
import type { Db } from '../../server/src/db/types.js';
import type { AppEnv } from '../../server/src/http/env.js';
import { errorHandler } from '../../server/src/http/errors.js';
import { insertEmbedding } from '../../server/src/repositories/embeddings.js';
import { insertExample } from '../../server/src/repositories/examples.js';
import { createImageStore } from '../../server/src/repositories/images.js';
import { insertSubject } from '../../server/src/repositories/subjects.js';
import { countRequests } from '../../server/src/routes/admin/index.js';
import { subjectRoutes } from '../../server/src/routes/subjects.js';
import type { RequestCounter } from '../../server/src/services/admin/index.js';
import { createFaceServices } from '../../server/src/services/face-services.js';
import { quiet } from './harness.js';

/** The default embedder's key, which services created without a choice record (issue 17.1); 4-d stub vectors. */
export const EMBEDDER = 'faceplugin-recognition@1';

const stubEngine = {
  embedderId: EMBEDDER,
  embeddingSize: 4,
  versions: {},
  analyze: () => Promise.reject(new Error('no engine in admin tests')),
  similarity: () => 0,
  dispose: async () => {},
} satisfies FaceEngine;

/** One server process's face-service API (subjects endpoints only), counting requests with `counter`. */
export async function faceApi(config: Config, db: Db, counter?: RequestCounter) {
  const services = await createFaceServices({
    config,
    db,
    engine: stubEngine,
    decode: () => Promise.reject(new Error('no decoding in admin tests')),
  });
  const app = new Hono<AppEnv>();
  if (counter) app.use('/api/v1/*', countRequests(counter));
  app.route('/api/v1/recognition/subjects', subjectRoutes({ config, services, logger: quiet }));
  app.onError(errorHandler(quiet));
  const subjects = (key: string) =>
    app.request('/api/v1/recognition/subjects', { headers: { 'x-api-key': key } });
  return { app, services, subjects };
}

/** Adds `subjects` × `perSubject` examples with image bytes and an embedding to a service. */
export async function fillCollection(
  config: Config,
  db: Db,
  serviceId: string,
  subjects: string[],
  perSubject: number,
): Promise<void> {
  const images = createImageStore({ dataDir: config.dataDir, inDb: config.saveImagesToDb });
  for (const name of subjects) {
    const subject = (await insertSubject(db, serviceId, name))!;
    for (let i = 0; i < perSubject; i++) {
      const id = randomUUID();
      const bytes = new TextEncoder().encode(`image ${name} ${i}`);
      const staged = await images.stage(serviceId, id, bytes);
      await db.transaction(async (tx) => {
        await insertExample(tx, {
          id,
          serviceId,
          subjectId: subject.id,
          contentType: 'image/jpeg',
          imagePath: staged.imagePath,
        });
        await images.saveRow(tx, id, bytes);
        await insertEmbedding(
          tx,
          id,
          EMBEDDER,
          new Float32Array([1, i, 0, 0]).map((v, _, a) => v / Math.hypot(...a)),
        );
      });
    }
  }
}

/** Rows per table that belong to any of these services (directly or through their examples). */
export async function countRows(db: Db, serviceIds: string[]): Promise<Record<string, number>> {
  const [r] = await db.query<Record<string, number>>(
    `select
       (select count(*)::int from services where id = any($1::uuid[])) as services,
       (select count(*)::int from subjects where service_id = any($1::uuid[])) as subjects,
       (select count(*)::int from examples where service_id = any($1::uuid[])) as examples,
       (select count(*)::int from example_images i where not exists (select 1 from examples e where e.id = i.example_id)) as orphan_images,
       (select count(*)::int from embeddings v where not exists (select 1 from examples e where e.id = v.example_id)) as orphan_embeddings,
       (select count(*)::int from service_requests where service_id = any($1::uuid[])) as request_days`,
    [serviceIds],
  );
  return r;
}
