// Face examples (CompreFace's "faces"): one stored image per example, owned by a subject of a service.
import type { Queryable } from '../db/types.js';

export interface ExampleRow {
  id: string;
  subjectId: string;
  subject: string;
  imagePath: string | null;
}

const ids = (list: readonly string[]) => list.join(',');

/** Inserts the example; false when its id is taken (by a write that committed while this one waited for it). */
export async function insertExample(
  q: Queryable,
  e: { id: string; serviceId: string; subjectId: string; contentType: string; imagePath: string | null },
): Promise<boolean> {
  const rows = await q.query(
    `insert into examples (id, service_id, subject_id, content_type, image_path) values ($1, $2, $3, $4, $5)
     on conflict (id) do nothing returning id`,
    [e.id, e.serviceId, e.subjectId, e.contentType, e.imagePath],
  );
  return rows.length > 0;
}

export async function findExample(
  q: Queryable,
  serviceId: string,
  id: string,
): Promise<ExampleRow | undefined> {
  const rows = await q.query<ExampleRow>(
    `select e.id, e.subject_id as "subjectId", s.name as subject, e.image_path as "imagePath"
       from examples e join subjects s on s.id = e.subject_id
      where e.service_id = $1 and e.id = $2`,
    [serviceId, id],
  );
  return rows[0];
}

/** One page of a service's examples, oldest first, optionally of one subject. */
export async function listExamples(
  q: Queryable,
  serviceId: string,
  opts: { subjectId?: string; limit: number; offset: number },
): Promise<{ items: { id: string; subject: string }[]; total: number }> {
  const filter = opts.subjectId ? 'and e.subject_id = $4' : '';
  const params = [serviceId, opts.limit, opts.offset, ...(opts.subjectId ? [opts.subjectId] : [])];
  const items = await q.query<{ id: string; subject: string }>(
    `select e.id, s.name as subject from examples e join subjects s on s.id = e.subject_id
      where e.service_id = $1 ${filter} order by e.created_at, e.id limit $2 offset $3`,
    params,
  );
  const total = await q.query<{ n: number }>(
    `select count(*)::int as n from examples e where e.service_id = $1 ${opts.subjectId ? 'and e.subject_id = $2' : ''}`,
    opts.subjectId ? [serviceId, opts.subjectId] : [serviceId],
  );
  return { items, total: total[0].n };
}

/** Deletes those of `exampleIds` (UUID strings) that belong to the service; returns what was deleted. */
export async function deleteExamples(
  q: Queryable,
  serviceId: string,
  exampleIds: readonly string[],
): Promise<ExampleRow[]> {
  if (!exampleIds.length) return [];
  return q.query<ExampleRow>(
    `delete from examples e using subjects s
      where s.id = e.subject_id and e.service_id = $1 and e.id = any(string_to_array($2, ',')::uuid[])
      returning e.id, e.subject_id as "subjectId", s.name as subject, e.image_path as "imagePath"`,
    [serviceId, ids(exampleIds)],
  );
}

/** Deletes every example of a subject, or of the whole service when `subjectId` is undefined. */
export async function deleteExamplesOf(
  q: Queryable,
  serviceId: string,
  subjectId?: string,
): Promise<ExampleRow[]> {
  return q.query<ExampleRow>(
    `delete from examples e using subjects s
      where s.id = e.subject_id and e.service_id = $1 ${subjectId ? 'and e.subject_id = $2' : ''}
      returning e.id, e.subject_id as "subjectId", s.name as subject, e.image_path as "imagePath"`,
    subjectId ? [serviceId, subjectId] : [serviceId],
  );
}

/** Ids among `ids` that exist in any service, with the service they belong to. */
export async function exampleOwners(
  q: Queryable,
  exampleIds: readonly string[],
): Promise<Map<string, string>> {
  if (!exampleIds.length) return new Map();
  const rows = await q.query<{ id: string; serviceId: string }>(
    `select id, service_id as "serviceId" from examples where id = any(string_to_array($1, ',')::uuid[])`,
    [ids(exampleIds)],
  );
  return new Map(rows.map((r) => [r.id, r.serviceId]));
}

/** Which of `exampleIds` exist (any service); used to sweep orphan image files. */
export async function existingExampleIds(q: Queryable, exampleIds: readonly string[]): Promise<Set<string>> {
  if (!exampleIds.length) return new Set();
  const rows = await q.query<{ id: string }>(
    "select id from examples where id = any(string_to_array($1, ',')::uuid[])",
    [ids(exampleIds)],
  );
  return new Set(rows.map((r) => r.id));
}
