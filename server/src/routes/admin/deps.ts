// What the admin routes need: configuration (cookies, client address) and the administration services.
import type { Context } from 'hono';
import type { Config } from '../../config.js';
import { readJsonObject } from '../../http/json.js';
import type { SessionEnv } from '../../http/session.js';
import type { AdminServices } from '../../services/admin/index.js';

export interface AdminRouteDeps {
  config: Config;
  admin: AdminServices;
}

export type AdminEnv = SessionEnv;

/** A JSON object body, or {} when the body is empty. */
export async function readOptionalObject(c: Context): Promise<Record<string, unknown>> {
  return (await c.req.text()).trim() ? readJsonObject(c) : {};
}
