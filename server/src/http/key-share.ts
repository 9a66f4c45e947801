// Requests in progress per API key, counted from the raw `x-api-key` header before the key is resolved or the body
// read: a key that already has its share in progress is answered 429 code 45 + Retry-After at once, so one key's
// flood costs the server a header parse and a short answer each, not a database query and a multipart parse. A key
// whose recent answers were mostly refusals and that recently had several requests in progress has its refusals
// held back (refusal-delay.ts), bounding its rate.
import { createMiddleware } from 'hono/factory';
import { TooManyJobs } from '../../../shared/errors.js';
import type { AppEnv } from './env.js';
import { isRefusal, RefusalDelay } from './refusal-delay.js';

/**
 * Middleware allowing each `x-api-key` value at most `limit` requests in progress; requests without one pass.
 * `refusalDelayMs` (REFUSAL_DELAY): how long a refusal to a key that is mostly refused waits (0 = not at all).
 */
export function keyShare(limit: number, refusalDelayMs = 0) {
  const inProgress = new Map<string, number>();
  const delay = new RefusalDelay(refusalDelayMs);
  return createMiddleware<AppEnv>(async (c, next) => {
    const key = c.req.header('x-api-key')?.trim().toLowerCase();
    if (!key) return next();
    const signal = c.req.raw.signal;
    const held = inProgress.get(key) ?? 0;
    if (held >= limit) {
      delay.concurrent(key);
      delay.record(key, true);
      // Held back or not, the client is told to wait at least as long as a held answer took.
      const retryAfter = delay.abusive(key) ? Math.max(1, Math.ceil(refusalDelayMs / 1000)) : 1;
      await delay.hold(key, signal);
      throw new TooManyJobs(
        `This API key already has ${limit} requests in progress, its share of the server; try again in a moment`,
        retryAfter,
      );
    }
    inProgress.set(key, held + 1);
    if (held > 0) delay.concurrent(key);
    try {
      await next();
      const refused = isRefusal(c.res.status, c.error);
      delay.record(key, refused);
      // The key keeps its place while its refusal is held: a flood's admitted requests count against its share.
      if (refused) await delay.hold(key, signal);
    } finally {
      const left = (inProgress.get(key) ?? 1) - 1;
      if (left > 0) inProgress.set(key, left);
      else inProgress.delete(key);
    }
  });
}
