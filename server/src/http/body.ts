// Keeps connections reusable after an early answer. A request that fails before its body is read (bad query
// parameter, unknown key, unavailable plugin...) would otherwise leave the upload on the socket: the client's
// next request on that keep-alive connection would be parsed from the middle of it or reset. So every body the
// handler left unread is read to its end and dropped before the answer goes out; one too big to read (over
// MAX_REQUEST_SIZE, or cut off by the body limit half-way) is answered with `Connection: close` instead.
import type { MiddlewareHandler } from 'hono';

/** Outermost middleware: drains an unread body of at most `maxDrain` bytes, else closes the connection. */
export function settleBody(maxDrain: number): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const body = c.req.raw.body;
    if (!body) return;
    if (c.req.raw.bodyUsed) {
      // Read by a handler: complete unless the body limit stopped reading half-way (413).
      if (c.res.status === 413) c.header('Connection', 'close');
      return;
    }
    const declared = Number(c.req.header('content-length') ?? 0);
    if (declared > maxDrain || !(await drain(body, maxDrain))) c.header('Connection', 'close');
  };
}

/** Reads and drops a stream; false when it is longer than `max` bytes or fails (the client went away). */
async function drain(body: ReadableStream<Uint8Array>, max: number): Promise<boolean> {
  let reader: ReadableStreamDefaultReader<Uint8Array>;
  try {
    reader = body.getReader();
  } catch {
    return false; // locked by a reader that gave up half-way
  }
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return true;
      size += value.byteLength;
      if (size > max) {
        await reader.cancel();
        return false;
      }
    }
  } catch {
    return false;
  }
}
