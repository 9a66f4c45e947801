// What the admin routes need: configuration (cookies, client address) and the administration services.
import type { Config } from '../../config.js';
import type { SessionEnv } from '../../http/session.js';
import type { AdminServices } from '../../services/admin/index.js';
import type { FaceServices } from '../../services/types.js';

/** What the embedder routes use of the face services (issue 17.1). */
export type EmbedderChoice = Pick<
  FaceServices,
  'embedders' | 'chooseEmbedder' | 'changeEmbedder' | 'embedderJob'
>;

export interface AdminRouteDeps {
  config: Config;
  admin: AdminServices;
  /** The face services' embedder choice (issue 17.1); absent: no /embedders routes, services get the default. */
  embedders?: EmbedderChoice;
}

export type AdminEnv = SessionEnv;
