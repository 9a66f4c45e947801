// Face services and their API keys: creating, finding by key, listing an application's, renaming, a new
// API key, cloning a collection into another service, deleting.
import { randomUUID } from 'node:crypto';
import { ApplicationDeleted } from '../../../shared/errors.js';
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
  /** The embedder key (`model@version`) of the service's collection (issue 17.1). */
  embedder: string;
}

/** A service as its application's members see it. */
export interface AppServiceRow extends ServiceRow {
  createdAt: Date;
}

const columns = `id, application_id as "applicationId", api_key as "apiKey", type, name, min_similarity as "minSimilarity",
  embedder || '@' || embedder_version as embedder`;
const serviceColumns = `${columns}, created_at as "createdAt"`;

/**
 * Inserts a service into its application, holding the application's row (key share) so that a concurrent deletion
 * of the application waits for this transaction (and then takes the service with it) or has already removed it:
 * ApplicationDeleted then, not a foreign-key violation.
 */
export async function insertService(
  q: Queryable,
  s: {
    applicationId: string;
    type: ServiceType;
    name: string;
    minSimilarity?: number | null;
    /** Embedder model and pipeline version; the column defaults when absent. */
    embedder?: { model: string; version: number };
  },
): Promise<ServiceRow> {
  const rows = await q.query<ServiceRow>(
    `insert into services (id, application_id, api_key, type, name, min_similarity, embedder, embedder_version)
     select $1, a.id, $3, $4, $5, $6, coalesce($7, 'faceplugin-recognition'), coalesce($8::integer, 1)
       from applications a where a.id = $2 for key share
     returning ${columns}`,
    [
      randomUUID(),
      s.applicationId,
      randomUUID(),
      s.type,
      s.name,
      s.minSimilarity ?? null,
      s.embedder?.model ?? null,
      s.embedder?.version ?? null,
    ],
  );
  if (!rows[0]) throw new ApplicationDeleted();
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

export async function listApplicationServices(q: Queryable, applicationId: string): Promise<AppServiceRow[]> {
  return q.query<AppServiceRow>(
    `select ${serviceColumns} from services where application_id = $1 order by created_at, name`,
    [applicationId],
  );
}

export async function findApplicationService(
  q: Queryable,
  applicationId: string,
  serviceId: string,
): Promise<AppServiceRow | undefined> {
  const rows = await q.query<AppServiceRow>(
    `select ${serviceColumns} from services where application_id = $1 and id = $2`,
    [applicationId, serviceId],
  );
  return rows[0];
}

export async function updateService(
  q: Queryable,
  id: string,
  patch: { name: string; minSimilarity: number | null },
): Promise<void> {
  await q.query('update services set name = $2, min_similarity = $3 where id = $1', [
    id,
    patch.name,
    patch.minSimilarity,
  ]);
}

/** Gives the service a new random API key; the old one stops resolving at once. Undefined: the service is gone. */
export async function regenerateApiKey(q: Queryable, id: string): Promise<string | undefined> {
  const key = randomUUID();
  const rows = await q.query('update services set api_key = $2 where id = $1 returning id', [id, key]);
  return rows.length ? key : undefined;
}

/** Deletes the service (its collection goes with it) and returns the image files to remove. */
export async function deleteService(q: Queryable, id: string): Promise<{ imagePaths: string[] }> {
  const paths = await q.query<{ p: string }>(
    'select image_path as p from examples where service_id = $1 and image_path is not null',
    [id],
  );
  await q.query('delete from services where id = $1', [id]);
  return { imagePaths: paths.map((r) => r.p) };
}

/**
 * Copies the collection of `fromId` into the (empty) service `toId`: subjects, examples, stored image bytes
 * and embeddings, with new ids. Returns the copied examples whose images are files, for the caller to copy.
 */
export async function copyCollection(
  q: Queryable,
  fromId: string,
  toId: string,
): Promise<{ fromExampleId: string; toExampleId: string; toImagePath: string }[]> {
  return q.query(
    `with ms as materialized (
        select id as old_id, gen_random_uuid() as new_id, name, created_at, seq from subjects where service_id = $1),
      ins_s as (
        insert into subjects (id, service_id, name, created_at)
        select new_id, $2::uuid, name, created_at from ms order by seq),
      me as materialized (
        select e.id as old_id, gen_random_uuid() as new_id, ms.new_id as subject_id, e.content_type,
               e.image_path, e.created_at
          from examples e join ms on ms.old_id = e.subject_id where e.service_id = $1),
      ins_e as (
        insert into examples (id, service_id, subject_id, content_type, image_path, created_at)
        select new_id, $2::uuid, subject_id, content_type,
               case when image_path is null then null else $2::uuid::text || '/' || new_id::text end, created_at
          from me),
      ins_i as (
        insert into example_images (example_id, data)
        select me.new_id, i.data from example_images i join me on me.old_id = i.example_id),
      ins_v as (
        insert into embeddings (example_id, embedder, dim, vector, created_at)
        select me.new_id, v.embedder, v.dim, v.vector, v.created_at from embeddings v join me on me.old_id = v.example_id)
     select old_id as "fromExampleId", new_id as "toExampleId", $2::uuid::text || '/' || new_id::text as "toImagePath"
       from me where image_path is not null`,
    [fromId, toId],
  );
}
