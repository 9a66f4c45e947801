// HTTP to the admin API: same-origin JSON with the session cookie, and the CSRF header that every
// state-changing request needs (server/src/http/session.ts). Failures are ApiErrors, like the face-service API's.
import { ApiError } from '../api/errors.js';

const CSRF_HEADER = 'x-requested-with';
const SAFE = new Set(['GET', 'HEAD']);

/** Calls `/admin/<path>`; resolves with the parsed JSON (undefined for an empty body). */
export async function adminFetch<T>(method: string, path: string, json?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (!SAFE.has(method)) headers[CSRF_HEADER] = 'visor-web';
  if (json !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(`/admin/${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      body: json === undefined ? undefined : JSON.stringify(json),
    });
  } catch {
    throw new ApiError(0, undefined, 'network error');
  }
  const text = await res.text();
  let data: unknown;
  if (text) {
    try {
      data = JSON.parse(text) as unknown;
    } catch {
      // A server without the admin API answers page URLs with the app's HTML.
      throw new ApiError(res.ok ? 404 : res.status, undefined, 'This server has no administration API.');
    }
  }
  if (!res.ok) throw ApiError.fromBody(res.status, data);
  return data as T;
}
