// Requests in progress per API key, counted from the raw `x-api-key` header before the key is resolved or the body
// read: a key that already has its share in progress is answered 429 code 45 + Retry-After at once, so one key's
// flood costs the server a header parse and a short answer each, not a database query and a multipart parse.
import { createMiddleware } from 'hono/factory';
import { TooManyJobs } from '../../../shared/errors.js';
import type { AppEnv } from './env.js';

/** Middleware allowing each `x-api-key` value at most `limit` requests in progress; requests without one pass. */
export function keyShare(limit: number) {
  const inProgress = new Map<string, number>();
  return createMiddleware<AppEnv>(async (c, next) => {
    const key = c.req.header('x-api-key')?.trim().toLowerCase();
    if (!key) return next();
    const held = inProgress.get(key) ?? 0;
    if (held >= limit)
      throw new TooManyJobs(
        `This API key already has ${limit} requests in progress, its share of the server; try again in a moment`,
      );
    inProgress.set(key, held + 1);
    try {
      await next();
    } finally {
      const left = (inProgress.get(key) ?? 1) - 1;
      if (left > 0) inProgress.set(key, left);
      else inProgress.delete(key);
    }
  });
}
