// What the admin routes need: configuration (cookies, client address) and the administration services.
import type { Context } from 'hono';
import type { Config } from '../../config.js';
import { readJsonObject } from '../../http/json.js';
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

/** A JSON object body, or {} when the body is empty. */
export async function readOptionalObject(c: Context): Promise<Record<string, unknown>> {
  return (await c.req.text()).trim() ? readJsonObject(c) : {};
}
