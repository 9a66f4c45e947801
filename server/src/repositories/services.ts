// Face services and their API keys.
import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/types.js';
import type { ServiceType } from '../services/types.js';

export interface ServiceRow {
  id: string;
  applicationId: string;
  apiKey: string;
  type: ServiceType;
  name: string;
  /** null: the server-wide default applies. */
  minSimilarity: number | null;
}

const columns = `id, application_id as "applicationId", api_key as "apiKey", type, name, min_similarity as "minSimilarity"`;

export async function insertService(
  q: Queryable,
  s: { applicationId: string; type: ServiceType; name: string; minSimilarity?: number | null },
): Promise<ServiceRow> {
  const rows = await q.query<ServiceRow>(
    `insert into services (id, application_id, api_key, type, name, min_similarity) values ($1, $2, $3, $4, $5, $6) returning ${columns}`,
    [randomUUID(), s.applicationId, randomUUID(), s.type, s.name, s.minSimilarity ?? null],
  );
  return rows[0];
}

/** The service owning `apiKey` (a UUID string), whatever its type. */
export async function findServiceByApiKey(q: Queryable, apiKey: string): Promise<ServiceRow | undefined> {
  const rows = await q.query<ServiceRow>(`select ${columns} from services where api_key = $1`, [apiKey]);
  return rows[0];
}

/** Ids of every service of `type` (used to load the search indexes). */
export async function listServiceIds(q: Queryable, type: ServiceType): Promise<string[]> {
  const rows = await q.query<{ id: string }>('select id from services where type = $1', [type]);
  return rows.map((r) => r.id);
}

export async function setServiceMinSimilarity(
  q: Queryable,
  id: string,
  minSimilarity: number | null,
): Promise<void> {
  await q.query('update services set min_similarity = $2 where id = $1', [id, minSimilarity]);
}
