// CompreFace's housekeeping endpoints that its UI and scripts call, answered as CompreFace answers them:
//   GET  /api/v1/consistence/status  (java/api/.../controller/ConsistenceController.java, VersionConsistenceDto
//        with NON_NULL: dbIsInconsistent is not computed in 1.2.0, so it is absent)
//   POST /api/v1/migrate             (MigrateController.java: 200 "Migration started"). Visor stores one
//        embedding per example for the embedder that made it and re-embeds on start, so there is nothing to
//        start: the answer is the same and nothing runs.
// Contracts: contracts/server.ts.
import { consistenceStatus, migrate } from '../contracts/server.js';
import { contractApp } from '../http/contract.js';
import type { AppEnv, RouteDeps } from '../http/env.js';

/** Mount with `app.route('/api/v1', compatRoutes(routeDeps))`. */
export function compatRoutes({ config }: Pick<RouteDeps, 'config'>) {
  return contractApp<AppEnv>()
    .openapi(consistenceStatus, (c) =>
      c.json({ demoFaceCollectionIsInconsistent: false, saveImagesToDB: config.saveImagesToDb }, 200),
    )
    .openapi(migrate, (c) => c.text('Migration started', 200));
}
