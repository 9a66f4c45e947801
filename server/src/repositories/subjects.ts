// Subjects of a recognition service; names are unique per service, compared case-insensitively.
import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/types.js';

export interface SubjectRow {
  id: string;
  name: string;
}

export async function findSubject(
  q: Queryable,
  serviceId: string,
  name: string,
): Promise<SubjectRow | undefined> {
  const rows = await q.query<SubjectRow>(
    'select id, name from subjects where service_id = $1 and lower(name) = lower($2)',
    [serviceId, name],
  );
  return rows[0];
}

/** Inserts the subject; undefined when one of that name (any case) already exists. */
export async function insertSubject(
  q: Queryable,
  serviceId: string,
  name: string,
): Promise<SubjectRow | undefined> {
  const rows = await q.query<SubjectRow>(
    `insert into subjects (id, service_id, name) values ($1, $2, $3)
     on conflict (service_id, lower(name)) do nothing returning id, name`,
    [randomUUID(), serviceId, name],
  );
  return rows[0];
}

/** The subject of that name, created if missing (`created`; concurrent callers get the same row). */
export async function findOrInsertSubject(
  q: Queryable,
  serviceId: string,
  name: string,
): Promise<SubjectRow & { created: boolean }> {
  for (;;) {
    const found = await findSubject(q, serviceId, name);
    if (found) return { ...found, created: false };
    const made = await insertSubject(q, serviceId, name);
    if (made) return { ...made, created: true };
  }
}

export async function listSubjectNames(q: Queryable, serviceId: string): Promise<string[]> {
  const rows = await q.query<{ name: string }>(
    'select name from subjects where service_id = $1 order by seq',
    [serviceId],
  );
  return rows.map((r) => r.name);
}

/** Id → name of every subject of the service, oldest first (a stable order for listings). */
export async function listSubjects(q: Queryable, serviceId: string): Promise<SubjectRow[]> {
  return q.query<SubjectRow>('select id, name from subjects where service_id = $1 order by seq', [serviceId]);
}

export async function renameSubject(q: Queryable, id: string, name: string): Promise<void> {
  await q.query('update subjects set name = $2 where id = $1', [id, name]);
}

/** Moves every example of subject `fromId` to subject `toId`. */
export async function reassignExamples(q: Queryable, fromId: string, toId: string): Promise<number> {
  const rows = await q.query('update examples set subject_id = $2 where subject_id = $1 returning id', [
    fromId,
    toId,
  ]);
  return rows.length;
}

/** Deletes the subject and (by cascade) its examples; returns the image files those examples had. */
export async function deleteSubject(q: Queryable, id: string): Promise<{ imagePaths: string[] }> {
  const paths = await q.query<{ p: string }>(
    'select image_path as p from examples where subject_id = $1 and image_path is not null',
    [id],
  );
  await q.query('delete from subjects where id = $1', [id]);
  return { imagePaths: paths.map((r) => r.p) };
}

/** Deletes every subject of the service with their examples. */
export async function deleteAllSubjects(
  q: Queryable,
  serviceId: string,
): Promise<{ deleted: number; imagePaths: string[] }> {
  const paths = await q.query<{ p: string }>(
    'select image_path as p from examples where service_id = $1 and image_path is not null',
    [serviceId],
  );
  const rows = await q.query('delete from subjects where service_id = $1 returning id', [serviceId]);
  return { deleted: rows.length, imagePaths: paths.map((r) => r.p) };
}
