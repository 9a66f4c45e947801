// JSON request bodies: malformed JSON is a client error (36), never a 500.
import type { Context } from 'hono';
import { IncorrectArgument, ValidationError } from '../../../shared/errors.js';
import { hasNul, NUL_MESSAGE } from './text-guard.js';

/** Parses the body as JSON whatever the Content-Type says (CompreFace clients are not always careful). */
export async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === '') throw new IncorrectArgument('Request body is empty; expected JSON');
  let nul = false;
  let body: unknown;
  try {
    // Any string or key holding a NUL is refused (26) before any work: PostgreSQL cannot store it.
    body = JSON.parse(text, (key, value: unknown) => {
      if (hasNul(key) || (typeof value === 'string' && hasNul(value))) nul = true;
      return value;
    });
  } catch {
    throw new IncorrectArgument('Request body is not valid JSON');
  }
  if (nul) throw new ValidationError(NUL_MESSAGE);
  return body;
}

/** Parses the body as a JSON object (not an array or a scalar). */
export async function readJsonObject(c: Context): Promise<Record<string, unknown>> {
  const body = await readJson(c);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new IncorrectArgument('Request body must be a JSON object');
  }
  return body as Record<string, unknown>;
}
