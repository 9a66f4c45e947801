// Members of applications: who belongs to an application and with what role, adding, changing and removing
// them, and handing ownership on when an owner's account goes.
import type { Queryable } from '../db/types.js';
import type { Role, UserRow } from './users.js';

export interface MemberRow extends Pick<UserRow, 'email' | 'firstName' | 'lastName'> {
  userId: string;
  role: Role;
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

/**
 * Adds a member; false when the user already is one, or when the application or the user is gone (their rows are
 * held, key share, so a concurrent deletion of either waits for this transaction or has already happened).
 */
export async function insertMember(
  q: Queryable,
  applicationId: string,
  userId: string,
  role: Role,
): Promise<boolean> {
  const rows = await q.query(
    `insert into application_members (application_id, user_id, role)
     select a.id, u.id, $3 from applications a, users u where a.id = $1 and u.id = $2 for key share
     on conflict do nothing returning user_id`,
    [applicationId, userId, role],
  );
  return rows.length > 0;
}

/**
 * Sets a member's role; false when they are not a member, or (`keepOwner`) when they are the owner: checked in
 * the same statement, so a concurrent hand-over to them is never overwritten.
 */
export async function setMemberRole(
  q: Queryable,
  applicationId: string,
  userId: string,
  role: Role,
  { keepOwner = false }: { keepOwner?: boolean } = {},
): Promise<boolean> {
  const rows = await q.query(
    `update application_members set role = $3
      where application_id = $1 and user_id = $2 and not ($4 and role = 'OWNER') returning user_id`,
    [applicationId, userId, role, keepOwner],
  );
  return rows.length > 0;
}

/** Turns the application's current owners into administrators (before handing ownership over). */
export async function demoteOwners(q: Queryable, applicationId: string): Promise<void> {
  await q.query(
    `update application_members set role = 'ADMINISTRATOR' where application_id = $1 and role = 'OWNER'`,
    [applicationId],
  );
}

/** Removes a member unless they are the owner (checked in the same statement); false when nothing was removed. */
export async function deleteMember(q: Queryable, applicationId: string, userId: string): Promise<boolean> {
  const rows = await q.query(
    `delete from application_members where application_id = $1 and user_id = $2 and role <> 'OWNER'
     returning user_id`,
    [applicationId, userId],
  );
  return rows.length > 0;
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

/**
 * Makes the longest-standing administrator (else user) other than `exceptUserId` the owner, unless someone else
 * already owns the application; false if nobody was made owner.
 */
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
        and not exists (select 1 from application_members
                         where application_id = $1 and role = 'OWNER' and user_id <> $2)
      returning user_id`,
    [applicationId, exceptUserId],
  );
  return rows.length > 0;
}
