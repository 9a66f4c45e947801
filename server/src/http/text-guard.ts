// Text PostgreSQL cannot store: the NUL character (U+0000) is refused in every text column ("invalid byte
// sequence for encoding UTF8: 0x00"), so a name carrying one would reach the database and fail there with a
// 500 after the work was done. It is refused at the door instead: in the URL (path and query) by `rejectNul`,
// in JSON bodies by `readJson` (server/src/http/json.ts). Lone UTF-16 surrogates need no guard: the drivers
// encode them as U+FFFD.
import type { MiddlewareHandler } from 'hono';
import { ValidationError } from '../../../shared/errors.js';

export const NUL_MESSAGE = 'Text must not contain the NUL character (\\u0000)';

/** True when `s` holds a NUL character. */
export const hasNul = (s: string): boolean => s.includes('\0');

/** 400 (code 26) for a URL whose path or query holds a NUL, raw or percent-encoded, before any work. */
export function rejectNul(): MiddlewareHandler {
  return async (c, next) => {
    const url = c.req.url;
    if (hasNul(url) || /%00/.test(url)) throw new ValidationError(NUL_MESSAGE);
    await next();
  };
}
