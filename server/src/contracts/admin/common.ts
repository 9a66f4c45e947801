// What the admin API's contracts share: the session (documented as the `session` cookie scheme and required
// before a body is read), the CSRF header on state-changing operations, the {message, code} refusals, and the
// body fields, each checked by the administration's input rule (services/admin/validate.ts) so that a bad field
// is the ValidationError (26) it always was.
import { createRoute, type RouteConfig } from '@hono/zod-openapi';
import { createMiddleware } from 'hono/factory';
import { z } from 'zod';
import { AdminError, Role, ServiceType } from '../../../../shared/api/admin.js';
import { MAX_PASSWORD, MIN_PASSWORD } from '../../../../shared/password-policy.js';
import { checked } from '../../http/contract.js';
import { jsonBody } from '../common.js';
import { CSRF_HEADER, requireUser, SESSION_COOKIE, type SessionEnv } from '../../http/session.js';
import { checkPassword } from '../../services/admin/passwords.js';
import {
  checkEmail,
  checkName,
  minSimilarity as minSimilarityValue,
  newRole,
  optionalName,
  optionalPassword,
  roleValue,
  serviceType,
} from '../../services/admin/validate.js';

export const adminTags = [
  { name: 'Account', description: 'Your own account: sign-up, log-in, profile, e-mail links.' },
  { name: 'Users', description: 'User management by global owners and administrators.' },
  { name: 'Applications', description: 'Applications and their members.' },
  {
    name: 'Face services',
    description: "Applications' face services, their API keys, embedders and statistics.",
  },
];

/** The session cookie, as the document names it. */
export const sessionScheme = {
  type: 'apiKey' as const,
  in: 'cookie' as const,
  name: SESSION_COOKIE,
  description: 'Set by POST /admin/login (HttpOnly, Path=/admin).',
};

const error = (description: string) => ({
  description,
  content: { 'application/json': { schema: AdminError } },
});

/** The refusals every admin operation may answer. */
const adminErrors = {
  400: error(
    'Invalid input (26), malformed JSON (36), bad or expired link (106), e-mail not configured (107)',
  ),
  401: error('Not logged in (101)'),
  403: error('Role does not allow it, or the x-requested-with header is missing (102)'),
  404: error('Not found or not visible to the caller (103)'),
  409: error('Conflict (104)'),
  413: error('A request over 64 KB'),
};

/** Too many failed attempts (105); the Retry-After header says when to try again. */
export const tooMany = (description: string) => ({ 429: error(`${description} (105); see Retry-After`) });

/** A 2xx answer without a body. */
export const done = (description = 'Done') => ({ description });

/** Requires a logged-in user (401) before the request's input is read. */
const loggedIn = createMiddleware<SessionEnv>(async (c, next) => {
  requireUser(c);
  await next();
});

const csrfHeaders = z.object({
  [CSRF_HEADER]: z
    .string()
    .optional()
    .meta({ description: 'Required on POST, PUT and DELETE (CSRF guard); any value.' }),
});

/**
 * An admin operation: the session cookie unless `auth` says otherwise ('public': none; 'optional': documented,
 * not required), the CSRF header on POST, PUT and DELETE, and the admin refusals.
 */
export function adminRoute<const R extends RouteConfig>(
  route: R,
  auth: 'session' | 'optional' | 'public' = 'session',
) {
  const unsafe = route.method !== 'get';
  const made = createRoute({
    ...route,
    security: auth === 'public' ? [] : [{ session: [] }],
    middleware: auth === 'session' ? loggedIn : undefined,
    request: unsafe ? { ...route.request, headers: csrfHeaders } : route.request,
    responses: { ...route.responses, ...adminErrors },
  });
  // typed as written: the additions are documentation and refusals, not the handler's input or answers
  return made as unknown as R;
}

/** A JSON body of these fields; `required` as documented (each field's rule says what an absent one is). */
export function objectBody<S extends z.ZodRawShape>(shape: S, required: (keyof S & string)[] = []) {
  return { ...jsonBody(z.object(shape).meta(required.length ? { required } : {})), required: true as const };
}

/** A JSON body that may be empty (it then reads as {}). */
export const optionalObjectBody = <S extends z.ZodRawShape>(shape: S) => ({
  ...objectBody(shape),
  required: false as const,
});

const str = <T>(parse: (v: unknown) => T, doc: Record<string, unknown> = {}) =>
  checked(parse).meta({ type: 'string', ...doc });

export const email = str(checkEmail, { format: 'email', maxLength: 254 });
export const password = str(checkPassword, { minLength: MIN_PASSWORD, maxLength: MAX_PASSWORD });
/** A password, or absent (also '' and, with `orNull`, null): the server generates one. */
export const generatedPassword = (orNull = false) =>
  str((v) => optionalPassword(v, orNull), {
    minLength: MIN_PASSWORD,
    maxLength: MAX_PASSWORD,
    description: 'Absent or empty: a password is generated and returned.',
  });
export const personName = (field: string) => str((v) => optionalName(v, field), { maxLength: 100 });
export const name = str((v) => checkName(v, 'name'), { minLength: 1, maxLength: 100 });
/** Any string; anything else reads as '' (the log-in then fails as a wrong password would). */
export const anyString = str((v) => (typeof v === 'string' ? v : ''));
/** Any string; anything else is absent (and fails as a wrong token or password would). */
export const maybeString = str((v) => (typeof v === 'string' ? v : undefined));
export const role = checked(roleValue).meta({ type: 'string', enum: Role.options });
export const memberRole = checked(newRole).meta({
  type: 'string',
  enum: ['ADMINISTRATOR', 'USER'],
  default: 'USER',
});
export const type = checked(serviceType).meta({ type: 'string', enum: ServiceType.options });
/** 0..1 or null (the server default); absent: unchanged (null on create). */
export const minSimilarity = checked((v) => (v === undefined ? undefined : minSimilarityValue(v))).meta({
  type: ['number', 'null'],
  minimum: 0,
  maximum: 1,
});

const id = z.string().meta({ format: 'uuid' });
export const appParams = z.object({ appId: id });
export const serviceParams = z.object({ appId: id, serviceId: id });
export const userParams = z.object({ id });
export const memberParams = z.object({ appId: id, userId: id });
