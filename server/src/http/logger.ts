// A minimal structured logger: one JSON line per event on stderr, filtered by the configured level.
import type { MiddlewareHandler } from 'hono';
import type { Config } from '../config.js';

type Level = Config['logLevel'];
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** A logger writing JSON lines to `write` (stderr by default) for events at or above `level`. */
export function createLogger(
  level: Level = 'info',
  write: (line: string) => void = (l) => process.stderr.write(l),
): Logger {
  const log = (lvl: Level) => (msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[lvl] < ORDER[level]) return;
    write(`${JSON.stringify({ time: new Date().toISOString(), level: lvl, msg, ...fields })}\n`);
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

/** One debug line per request: method, path (never the query: static URLs carry API keys), status, duration. */
export function accessLog(logger: Logger): MiddlewareHandler {
  return async (c, next) => {
    const start = performance.now();
    await next();
    logger.debug('request', {
      requestId: c.get('requestId') as string | undefined,
      method: c.req.method,
      path: c.req.path.replace(/^\/api\/v1\/static\/[^/]+/, '/api/v1/static/…'),
      status: c.res.status,
      ms: Math.round(performance.now() - start),
    });
  };
}
