// Users of the administration: accounts, their global role and password hash.
import type { Queryable } from '../db/types.js';

export type Role = 'OWNER' | 'ADMINISTRATOR' | 'USER';

export interface UserRow {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  role: Role;
  emailConfirmed: boolean;
  createdAt: Date;
}

export interface UserWithHash extends UserRow {
  passwordHash: string;
}

const columns = `id, email, first_name as "firstName", last_name as "lastName", role,
  email_confirmed as "emailConfirmed", created_at as "createdAt"`;

/** Serialises sign-ups inside a transaction, so exactly one first user becomes the owner. */
export async function lockUsers(q: Queryable): Promise<void> {
  await q.query('select pg_advisory_xact_lock($1)', [0x56_49_53_55]);
}

export async function countUsers(q: Queryable): Promise<number> {
  const rows = await q.query<{ n: number }>('select count(*)::int as n from users');
  return rows[0].n;
}

/** Inserts a user; undefined when the e-mail (any case) is taken. */
export async function insertUser(
  q: Queryable,
  u: Omit<UserWithHash, 'createdAt'>,
): Promise<UserRow | undefined> {
  const rows = await q.query<UserRow>(
    `insert into users (id, email, first_name, last_name, password_hash, role, email_confirmed)
     values ($1, $2, $3, $4, $5, $6, $7) on conflict do nothing returning ${columns}`,
    [u.id, u.email, u.firstName, u.lastName, u.passwordHash, u.role, u.emailConfirmed],
  );
  return rows[0];
}

export async function findUserById(q: Queryable, id: string): Promise<UserRow | undefined> {
  return (await q.query<UserRow>(`select ${columns} from users where id = $1`, [id]))[0];
}

/** The user with this e-mail (case-insensitive), with the password hash. */
export async function findUserByEmail(q: Queryable, email: string): Promise<UserWithHash | undefined> {
  const rows = await q.query<UserWithHash>(
    `select ${columns}, password_hash as "passwordHash" from users where lower(email) = lower($1)`,
    [email],
  );
  return rows[0];
}

export async function findPasswordHash(q: Queryable, id: string): Promise<string | undefined> {
  const rows = await q.query<{ h: string }>('select password_hash as h from users where id = $1', [id]);
  return rows[0]?.h;
}

export async function listUsers(q: Queryable): Promise<UserRow[]> {
  return q.query<UserRow>(`select ${columns} from users order by created_at, email`);
}

export async function setPasswordHash(q: Queryable, id: string, hash: string): Promise<void> {
  await q.query('update users set password_hash = $2 where id = $1', [id, hash]);
}

export async function setUserName(
  q: Queryable,
  id: string,
  name: { firstName: string; lastName: string },
): Promise<void> {
  await q.query('update users set first_name = $2, last_name = $3 where id = $1', [
    id,
    name.firstName,
    name.lastName,
  ]);
}

export async function setEmailConfirmed(q: Queryable, id: string): Promise<void> {
  await q.query('update users set email_confirmed = true where id = $1', [id]);
}

export async function setUserRole(q: Queryable, id: string, role: Role): Promise<void> {
  await q.query('update users set role = $2 where id = $1', [id, role]);
}

export async function deleteUser(q: Queryable, id: string): Promise<void> {
  await q.query('delete from users where id = $1', [id]);
}
