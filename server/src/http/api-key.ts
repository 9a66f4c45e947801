// API-key middleware: resolves `x-api-key` to a face service of the path's type and puts it on the context, and
// opens the request's inference job scope (the service's fair share; the client's disconnect drops its jobs).
import { createMiddleware } from 'hono/factory';
import { MissingApiKey, ValidationError } from '../../../shared/errors.js';
import { runInJobScope } from '../inference/pool/scope.js';
import type { FaceServices, ServiceRef, ServiceType } from '../services/types.js';
import type { AppEnv } from './env.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True when `s` is a UUID in its canonical textual form (any version). */
export function isUuid(s: string): boolean {
  return UUID.test(s);
}

/** Lookups in progress per services instance, by type and key: concurrent requests with one key share one query. */
const lookups = new WeakMap<FaceServices, Map<string, Promise<ServiceRef>>>();

/**
 * Checks the key's shape (20 missing, 26 not a UUID) and resolves it; the service throws 10 for an unknown key.
 * Requests arriving while the same key's lookup is in progress share its answer (nothing is cached beyond it), so a
 * burst with one key costs one database query, not one per request.
 */
export function resolveApiKey(
  services: FaceServices,
  key: string | undefined,
  type: ServiceType,
): Promise<ServiceRef> {
  if (key === undefined || key === '') return Promise.reject(new MissingApiKey());
  if (!isUuid(key)) return Promise.reject(new ValidationError('Service API key should be UUID'));
  let inProgress = lookups.get(services);
  if (!inProgress) lookups.set(services, (inProgress = new Map()));
  const id = `${type} ${key.toLowerCase()}`;
  const shared = inProgress.get(id);
  if (shared) return shared;
  const lookup = services.resolveKey(key, type).finally(() => inProgress.delete(id));
  inProgress.set(id, lookup);
  return lookup;
}

/** Requires an `x-api-key` header naming a service of `type`. */
export function apiKey(services: FaceServices, type: ServiceType) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const service = await resolveApiKey(services, c.req.header('x-api-key')?.trim(), type);
    c.set('service', service);
    await runInJobScope({ owner: service.id, signal: c.req.raw.signal }, next);
  });
}
