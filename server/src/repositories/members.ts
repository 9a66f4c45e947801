// Applications as their members manage them: which applications a user sees and with what role, the
// members of an application, renaming and deleting applications, and the face services inside them
// (listing, renaming, a new API key, cloning with their collection, deleting).
import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/types.js';
import type { ServiceType } from '../services/types.js';
import type { Role, UserRow } from './users.js';

export interface ApplicationRow {
  id: string;
  name: string;
  createdAt: Date;
  /** The caller's membership role; null when not a member. */
  memberRole: Role | null;
}

export interface MemberRow extends Pick<UserRow, 'email' | 'firstName' | 'lastName'> {
  userId: string;
  role: Role;
}

export interface AppServiceRow {
  id: string;
  applicationId: string;
  apiKey: string;
  type: ServiceType;
  name: string;
  minSimilarity: number | null;
  createdAt: Date;
}

const appColumns = `a.id, a.name, a.created_at as "createdAt", m.role as "memberRole"`;
const serviceColumns = `id, application_id as "applicationId", api_key as "apiKey", type, name,
  min_similarity as "minSimilarity", created_at as "createdAt"`;

/** Every application (`all`) or only those the user is a member of, with the user's membership role. */
export async function listApplications(
  q: Queryable,
  userId: string,
  all: boolean,
): Promise<ApplicationRow[]> {
  return q.query<ApplicationRow>(
    `select ${appColumns} from applications a
       left join application_members m on m.application_id = a.id and m.user_id = $1
      where $2 or m.user_id is not null
      order by a.created_at, a.name`,
    [userId, all],
  );
}

export async function findApplication(
  q: Queryable,
  id: string,
  userId: string,
): Promise<ApplicationRow | undefined> {
  const rows = await q.query<ApplicationRow>(
    `select ${appColumns} from applications a
       left join application_members m on m.application_id = a.id and m.user_id = $2
      where a.id = $1`,
    [id, userId],
  );
  return rows[0];
}

export async function renameApplication(q: Queryable, id: string, name: string): Promise<void> {
  await q.query('update applications set name = $2 where id = $1', [id, name]);
}

/** Deletes the application; its services, collections, images and members go with it (cascade). */
export async function deleteApplication(
  q: Queryable,
  id: string,
): Promise<{ services: { id: string; type: ServiceType }[]; imagePaths: string[] }> {
  const services = await q.query<{ id: string; type: ServiceType }>(
    'select id, type from services where application_id = $1',
    [id],
  );
  const paths = await q.query<{ p: string }>(
    `select e.image_path as p from examples e join services s on s.id = e.service_id
      where s.application_id = $1 and e.image_path is not null`,
    [id],
  );
  await q.query('delete from applications where id = $1', [id]);
  return { services, imagePaths: paths.map((r) => r.p) };
}

export async function listMembers(q: Queryable, applicationId: string): Promise<MemberRow[]> {
  return q.query<MemberRow>(
    `select m.user_id as "userId", m.role, u.email, u.first_name as "firstName", u.last_name as "lastName"
       from application_members m join users u on u.id = m.user_id
      where m.application_id = $1 order by m.created_at, u.email`,
    [applicationId],
  );
}

export async function findMemberRole(
  q: Queryable,
  applicationId: string,
  userId: string,
): Promise<Role | undefined> {
  const rows = await q.query<{ role: Role }>(
    'select role from application_members where application_id = $1 and user_id = $2',
    [applicationId, userId],
  );
  return rows[0]?.role;
}

/** Adds a member; false when the user already is one. */
export async function insertMember(
  q: Queryable,
  applicationId: string,
  userId: string,
  role: Role,
): Promise<boolean> {
  const rows = await q.query(
    `insert into application_members (application_id, user_id, role) values ($1, $2, $3)
     on conflict do nothing returning user_id`,
    [applicationId, userId, role],
  );
  return rows.length > 0;
}

export async function setMemberRole(
  q: Queryable,
  applicationId: string,
  userId: string,
  role: Role,
): Promise<void> {
  await q.query('update application_members set role = $3 where application_id = $1 and user_id = $2', [
    applicationId,
    userId,
    role,
  ]);
}

/** Turns the application's current owners into administrators (before handing ownership over). */
export async function demoteOwners(q: Queryable, applicationId: string): Promise<void> {
  await q.query(
    `update application_members set role = 'ADMINISTRATOR' where application_id = $1 and role = 'OWNER'`,
    [applicationId],
  );
}

export async function deleteMember(q: Queryable, applicationId: string, userId: string): Promise<void> {
  await q.query('delete from application_members where application_id = $1 and user_id = $2', [
    applicationId,
    userId,
  ]);
}

/** Applications whose only owner is `userId` (before deleting that user). */
export async function listSoleOwnedApplications(q: Queryable, userId: string): Promise<string[]> {
  const rows = await q.query<{ id: string }>(
    `select m.application_id as id from application_members m
      where m.user_id = $1 and m.role = 'OWNER'
        and not exists (select 1 from application_members o
                         where o.application_id = m.application_id and o.role = 'OWNER' and o.user_id <> $1)`,
    [userId],
  );
  return rows.map((r) => r.id);
}

/** Makes the longest-standing administrator (else user) other than `exceptUserId` the owner; false if none. */
export async function promoteSuccessor(
  q: Queryable,
  applicationId: string,
  exceptUserId: string,
): Promise<boolean> {
  const rows = await q.query(
    `update application_members set role = 'OWNER'
      where application_id = $1 and user_id = (
        select user_id from application_members where application_id = $1 and user_id <> $2
         order by case role when 'ADMINISTRATOR' then 0 else 1 end, created_at limit 1)
      returning user_id`,
    [applicationId, exceptUserId],
  );
  return rows.length > 0;
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

/** Gives the service a new random API key; the old one stops resolving at once. */
export async function regenerateApiKey(q: Queryable, id: string): Promise<string> {
  const key = randomUUID();
  await q.query('update services set api_key = $2 where id = $1', [id, key]);
  return key;
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
        select id as old_id, gen_random_uuid() as new_id, name, created_at from subjects where service_id = $1),
      ins_s as (
        insert into subjects (id, service_id, name, created_at) select new_id, $2::uuid, name, created_at from ms),
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
