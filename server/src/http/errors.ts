// The one place errors become HTTP responses: VisorError → {message, code} + its status; anything else is
// logged with the request id and answered with a generic 500 that leaks nothing.
import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { NotReady, Overloaded, TooManyJobs, VisorError } from '../../../shared/errors.js';
import type { AppEnv } from './env.js';
import type { Logger } from './logger.js';

export interface ErrorBody {
  message: string;
  code: number;
}

export const GENERIC_MESSAGE = 'Something went wrong, please try again';

/** The JSON error response every failure path uses. */
export function errorResponse(c: Context, status: ContentfulStatusCode, body: ErrorBody): Response {
  return c.json(body, status);
}

/** Maps thrown errors to CompreFace's error body; the only `onError` of the app. */
export function errorHandler(logger: Logger): ErrorHandler<AppEnv> {
  return (err, c) => {
    if (err instanceof VisorError) {
      // Overloaded or still starting: tell the client when to come back.
      if (err instanceof Overloaded || err instanceof NotReady) c.header('Retry-After', '1');
      if (err instanceof TooManyJobs) c.header('Retry-After', String(err.retryAfter));
      return errorResponse(c, err.status, { message: err.message, code: err.code });
    }
    if (err instanceof HTTPException && err.status < 500) {
      // Raised by hono itself (e.g. a malformed body it parsed); the status is meaningful, the text is hono's.
      return errorResponse(c, err.status, { message: err.message || 'Bad request', code: 36 });
    }
    logger.error('unhandled error', {
      requestId: c.get('requestId'),
      method: c.req.method,
      path: c.req.path,
      error: err instanceof Error ? (err.stack ?? err.message) : String(err),
    });
    return errorResponse(c, 500, { message: GENERIC_MESSAGE, code: 0 });
  };
}

/** Unknown paths answer a JSON 404 in the same shape. */
export const notFoundHandler: NotFoundHandler<AppEnv> = (c) =>
  errorResponse(c, 404, { message: `No endpoint ${c.req.method} ${c.req.path}`, code: 0 });
