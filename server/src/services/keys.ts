// Face services and their API keys: resolving a request's key, creating a service (bootstrap CLI, admin).
import { ServiceNotFound, ValidationError } from '../../../shared/errors.js';
import type { Db } from '../db/types.js';
import { insertApplication } from '../repositories/applications.js';
import { findServiceByApiKey, insertService, type ServiceRow } from '../repositories/services.js';
import type { ServiceRef, ServiceType } from './types.js';
import { isUuid } from './validate.js';

export const SERVICE_TYPES: readonly ServiceType[] = ['recognition', 'detection', 'verification'];

const toRef = (row: ServiceRow, defaultMinSimilarity: number): ServiceRef => ({
  id: row.id,
  apiKey: row.apiKey,
  type: row.type,
  name: row.name,
  minSimilarity: row.minSimilarity ?? defaultMinSimilarity,
  embedder: row.embedder,
});

/** The service of `type` behind `apiKey`; throws ValidationError (not a UUID) or ServiceNotFound. */
export async function resolveApiKey(
  db: Db,
  apiKey: string,
  type: ServiceType,
  defaultMinSimilarity: number,
): Promise<ServiceRef> {
  if (!isUuid(apiKey)) throw new ValidationError('Service API key should be UUID');
  const row = await findServiceByApiKey(db, apiKey.toLowerCase());
  if (!row || row.type !== type) throw new ServiceNotFound(type, apiKey);
  return toRef(row, defaultMinSimilarity);
}

/** Creates an application (named `application`, default the service name) holding one new service. */
export async function createServiceRecord(
  db: Db,
  input: {
    type: ServiceType;
    name: string;
    application?: string;
    minSimilarity?: number;
    /** Embedder model and pipeline version (services/service-embedder.ts chooseEmbedder); absent = the default. */
    embedder?: { model: string; version: number };
  },
  defaultMinSimilarity = 0,
): Promise<ServiceRef> {
  if (!SERVICE_TYPES.includes(input.type))
    throw new ValidationError(`type must be one of ${SERVICE_TYPES.join(', ')}`);
  const name = input.name?.trim();
  if (!name) throw new ValidationError('service name cannot be empty');
  const ms = input.minSimilarity;
  if (ms !== undefined && !(ms >= 0 && ms <= 1))
    throw new ValidationError('min similarity must be between 0 and 1');
  const row = await db.transaction(async (tx) => {
    const app = await insertApplication(tx, input.application?.trim() || name);
    return insertService(tx, {
      applicationId: app.id,
      type: input.type,
      name,
      minSimilarity: ms,
      embedder: input.embedder,
    });
  });
  return toRef(row, defaultMinSimilarity);
}
