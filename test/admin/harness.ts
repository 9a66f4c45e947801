// Admin API test harness: the admin routes over a test database (PGlite or PostgreSQL, see
// test/storage/backends.ts), driven through `app.request()` by agents that keep their session cookie.
import { Hono } from 'hono';
import type { Config } from '../../server/src/config.js';
import type { Db } from '../../server/src/db/types.js';
import type { AppEnv } from '../../server/src/http/env.js';
import { errorHandler } from '../../server/src/http/errors.js';
import { createLogger } from '../../server/src/http/logger.js';
import type { UserRow } from '../../server/src/repositories/users.js';
import { adminRoutes } from '../../server/src/routes/admin/index.js';
import { createAdminServices, type AdminServices } from '../../server/src/services/admin/index.js';
import type { Role } from '../../server/src/services/admin/roles.js';

export const quiet = createLogger('error', () => {});

export function buildAdminApp(
  config: Config,
  db: Db,
  extra: Partial<Parameters<typeof createAdminServices>[0]> = {},
) {
  const admin = createAdminServices({ config, db, logger: quiet, ...extra });
  const app = new Hono<AppEnv>().route('/admin', adminRoutes({ config, admin }));
  app.onError(errorHandler(quiet));
  return { app, admin };
}

/** Response bodies are loosely typed JSON in tests. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface Reply<T = Json> {
  status: number;
  body: T;
  headers: Headers;
}

export type Agent = ReturnType<typeof agent>;

/** A client with a cookie jar; it sends the CSRF header unless `csrf: false`. */
export function agent(
  app: Hono<AppEnv>,
  opts: { cookie?: string; csrf?: boolean; headers?: Record<string, string> } = {},
) {
  let cookie = opts.cookie;
  async function request<T = Json>(method: string, path: string, body?: unknown): Promise<Reply<T>> {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.csrf !== false) headers['x-requested-with'] = 'visor-test';
    if (cookie) headers.cookie = cookie;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await app.request(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const set = res.headers.get('set-cookie');
    const m = set && /visor_session=([^;]*)/.exec(set);
    if (m) cookie = m[1] && !/max-age=0/i.test(set) ? `visor_session=${m[1]}` : undefined;
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }
  return {
    get: <T = Json>(path: string) => request<T>('GET', path),
    post: <T = Json>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
    put: <T = Json>(path: string, body?: unknown) => request<T>('PUT', path, body ?? {}),
    delete: <T = Json>(path: string) => request<T>('DELETE', path),
    request,
    get cookie() {
      return cookie;
    },
  };
}

/** Creates a user directly (first = owner), sets its global role, and returns an agent logged in as them. */
export async function makeUser(
  app: Hono<AppEnv>,
  admin: AdminServices,
  email: string,
  role: Role = 'USER',
): Promise<{ user: UserRow; agent: Agent }> {
  const { user } = await admin.accounts.createAccount(
    { email, password: 'password-123' },
    { confirmed: true, role: role === 'OWNER' ? undefined : role },
  );
  const token = await admin.accounts.openSession(user.id);
  return { user, agent: agent(app, { cookie: `visor_session=${token}` }) };
}
