// Session cookie middleware of the admin API: reads the `visor_session` cookie (HttpOnly, SameSite=Lax,
// Secure over HTTPS or when configured, Path=/admin), puts the user on the context, and refuses
// state-changing requests that a cross-site page could forge (custom header required, cross-site fetches
// refused). Also the client address used by the log-in limits.
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { Forbidden, Unauthorized } from '../../../shared/errors.js';
import type { Config } from '../config.js';
import type { UserRow } from '../repositories/users.js';

export const SESSION_COOKIE = 'visor_session';
/** Header every state-changing admin request must carry (browsers cannot add it cross-site without CORS). */
export const CSRF_HEADER = 'x-requested-with';

export interface SessionVariables {
  /** The logged-in user (absent on public endpoints when nobody is logged in). */
  user?: UserRow;
  /** The raw session token of the request's cookie. */
  session?: string;
}

export interface SessionEnv {
  Variables: SessionVariables;
}

type CookieConfig = Pick<Config, 'cookieSecure' | 'trustProxy' | 'sessionTtl'>;

/** True when the request reached us over HTTPS (X-Forwarded-Proto is believed only with TRUST_PROXY). */
export function isHttps(c: Context, trustProxy: boolean): boolean {
  if (trustProxy && c.req.header('x-forwarded-proto')?.split(',')[0].trim() === 'https') return true;
  return new URL(c.req.url).protocol === 'https:';
}

/** The client's IP address: the socket's peer, or the first X-Forwarded-For entry with TRUST_PROXY. */
export function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const fwd = c.req.header('x-forwarded-for')?.split(',')[0].trim();
    if (fwd) return fwd;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

export function setSessionCookie(c: Context, token: string, config: CookieConfig): void {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: config.cookieSecure === 'auto' ? isHttps(c, config.trustProxy) : config.cookieSecure,
    path: '/admin',
    maxAge: config.sessionTtl,
  });
}

/** The log-in device cookie (OWASP device cookies): only sent to the log-in endpoint, never cross-site. */
export const DEVICE_COOKIE = 'visor_device';
const DEVICE_PATH = '/admin/login';

export function setDeviceCookie(
  c: Context,
  value: string,
  maxAge: number,
  config: Pick<Config, 'cookieSecure' | 'trustProxy'>,
): void {
  setCookie(c, DEVICE_COOKIE, value, {
    httpOnly: true,
    sameSite: 'Strict',
    secure: config.cookieSecure === 'auto' ? isHttps(c, config.trustProxy) : config.cookieSecure,
    path: DEVICE_PATH,
    maxAge,
  });
}

export const deviceCookie = (c: Context): string | undefined => getCookie(c, DEVICE_COOKIE);

export function clearSessionCookie(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/admin' });
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Refuses state-changing requests without the CSRF header, and any request a browser marks cross-site. */
export function csrfGuard() {
  return createMiddleware(async (c, next) => {
    if (c.req.header('sec-fetch-site') === 'cross-site')
      throw new Forbidden('Cross-site requests are refused');
    if (!SAFE.has(c.req.method) && !c.req.header(CSRF_HEADER))
      throw new Forbidden(`State-changing requests need the ${CSRF_HEADER} header`);
    await next();
  });
}

/** Resolves the session cookie (if any) to a user; a stale cookie is cleared. */
export function sessionAuth(lookup: (token: string) => Promise<UserRow | undefined>) {
  return createMiddleware<SessionEnv>(async (c, next) => {
    const token = getCookie(c, SESSION_COOKIE);
    if (token) {
      const user = await lookup(token);
      if (user) {
        c.set('user', user);
        c.set('session', token);
      } else {
        clearSessionCookie(c);
      }
    }
    await next();
  });
}

/** The logged-in user; throws Unauthorized (401) when there is none. */
export function requireUser(c: Context<SessionEnv>): UserRow {
  const user = c.get('user');
  if (!user) throw new Unauthorized('Log in first');
  return user;
}
