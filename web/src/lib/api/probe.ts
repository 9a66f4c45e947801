// Checks that an API key belongs to a service of the chosen type, with the cheapest call each type has.
import { call } from './client.js';
import { ApiError } from './errors.js';
import type { Connection } from './types.js';

/** Codes that mean "this key is not a service of this type". */
const KEY_CODES = new Set([10, 20, 26]);

/**
 * Resolves when the server accepts the key for `conn.type`; rejects with the ApiError otherwise.
 * Detection and verification have no read-only call: an image-less request is refused for the missing
 * image (the key passed) or for the key.
 */
export async function probe(conn: Connection): Promise<void> {
  if (conn.type === 'recognition') {
    await call(conn, 'GET', 'recognition/subjects');
    return;
  }
  const path = conn.type === 'detection' ? 'detection/detect' : 'verification/verify';
  try {
    await call(conn, 'POST', path, { json: {} });
  } catch (err) {
    if (err instanceof ApiError && err.status < 500 && err.code !== undefined && !KEY_CODES.has(err.code))
      return;
    throw err;
  }
}
