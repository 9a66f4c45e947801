// One contract per endpoint (@hono/zod-openapi): a route's schemas validate its input, type its handler and
// write its part of the OpenAPI document. CompreFace's errors stay as they were: a field checked by one of our
// parsers (`checked`) fails with the named error (shared/errors.ts) that parser throws, any other schema failure
// is a ValidationError (26), and app.onError maps both once (http/errors.ts).
import { OpenAPIHono, type RouteConfig, type RouteHandler } from '@hono/zod-openapi';
import type { Context, Env } from 'hono';
import { z } from 'zod';
import { ValidationError, VisorError } from '../../../shared/errors.js';
import { readJson, readJsonObject } from './json.js';

/** The failure of a schema: the first issue's named error, else CompreFace's 26 with the field. */
export function schemaError(error: z.ZodError): VisorError {
  const issue = error.issues[0];
  const named =
    issue?.code === 'custom' ? (issue.params as { error?: unknown } | undefined)?.error : undefined;
  if (named instanceof VisorError) return named;
  const at = issue?.path.length ? `${issue.path.join('.')}: ` : '';
  return new ValidationError(`${at}${issue?.message ?? 'Invalid input'}`);
}

/** A sub-app whose routes are contracts: mount it with `app.route()` and its operations join the document. */
export function contractApp<E extends Env>(): OpenAPIHono<E> {
  return new OpenAPIHono<E>({
    defaultHook: (result) => {
      if (!result.success) throw schemaError(result.error);
    },
  });
}

/**
 * A value read by one of our parsers: what `parse` returns, or the issue carrying the named error it threw (the
 * error the endpoint always answered). Other exceptions are bugs and propagate.
 */
export function checked<T>(parse: (v: unknown) => T) {
  return z
    .unknown()
    .optional()
    .transform((v, ctx): T => {
      try {
        return parse(v);
      } catch (error) {
        if (!(error instanceof VisorError)) throw error;
        ctx.addIssue({ code: 'custom', message: error.message, params: { error } });
        return z.NEVER;
      }
    });
}

/**
 * A field that `schema` checks and documents, refused with the endpoint's own named error (e.g. a sentence the
 * clients know): `refusal` gets the first issue, its path relative to the field.
 */
export function answered<S extends z.ZodType>(schema: S, refusal: (issue: z.core.$ZodIssue) => VisorError) {
  return z.preprocess((v, ctx) => {
    const result = schema.safeParse(v);
    if (!result.success) {
      const error = refusal(result.error.issues[0]);
      ctx.addIssue({ code: 'custom', message: error.message, params: { error } });
    }
    return v;
  }, schema);
}

/** The first value of a query parameter as given, untrimmed (as `c.req.query` reads it). */
export function givenValue(v: unknown): string | undefined {
  const s: unknown = Array.isArray(v) ? v[0] : v;
  return typeof s === 'string' ? s : undefined;
}

/** The first value of a query parameter, trimmed; blank is absent. */
function firstValue(v: unknown): string | undefined {
  return givenValue(v)?.trim() || undefined;
}

/**
 * A query parameter read by `parse` (which throws the parameter's named error, e.g. 26 with CompreFace's
 * message), documented as `doc` says (type, bounds, default, description).
 */
export function queryParam<T>(parse: (v: string | undefined) => T, doc: Record<string, unknown>) {
  return checked((v) => parse(firstValue(v))).meta(doc);
}

/**
 * Registers a route whose body is JSON. The body is read as every JSON endpoint always read it (whatever the
 * Content-Type; empty or malformed is 36, a NUL is 26, a non-object where an object is due is 36) and then
 * checked by the route's schema, after the query and path parameters, as before. An optional body
 * (`required: false`) may also be empty, which reads as {}.
 */
export function openapiJson<E extends Env, R extends RouteConfig>(
  app: OpenAPIHono<E>,
  route: R,
  handler: RouteHandler<R, E>,
): void {
  const media = route.request?.body?.content?.['application/json'] as { schema?: unknown } | undefined;
  const schema = media?.schema;
  if (!(schema instanceof z.ZodType)) throw new Error(`${route.method} ${route.path}: no JSON body schema`);
  const asObject = schema instanceof z.ZodObject;
  // a body documented as optional (`required: false`) may be empty: it reads as {}
  const optional = route.request?.body?.required === false;
  const { middleware: _middleware, hide: _hide, ...documented } = route;
  app.openAPIRegistry.registerPath(documented);
  const { body: _documented, ...request } = route.request ?? {};
  app.openapi({ ...route, request, hide: true }, async (c: Context) => {
    const empty = optional && !(await c.req.text()).trim();
    const raw = empty ? {} : asObject ? await readJsonObject(c) : await readJson(c);
    const parsed = await schema.safeParseAsync(raw);
    if (!parsed.success) throw schemaError(parsed.error);
    c.req.addValidatedData('json', parsed.data as object);
    return (handler as unknown as (c: Context) => Response | Promise<Response>)(c);
  });
}
