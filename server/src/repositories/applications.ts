// Applications: the owners of face services. Which applications a user sees and with what role (their
// membership, repositories/members.ts), creating, renaming and deleting them.
import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/types.js';
import type { ServiceType } from '../services/types.js';
import type { Role } from './users.js';

export interface ApplicationRow {
  id: string;
  name: string;
  createdAt: Date;
  /** The caller's membership role; null when not a member. */
  memberRole: Role | null;
}

const appColumns = `a.id, a.name, a.created_at as "createdAt", m.role as "memberRole"`;

export async function insertApplication(q: Queryable, name: string): Promise<{ id: string; name: string }> {
  const id = randomUUID();
  await q.query('insert into applications (id, name) values ($1, $2)', [id, name]);
  return { id, name };
}

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

/**
 * Holds the application's row until the transaction ends (one change of its members at a time: hand-overs);
 * false when it is gone.
 */
export async function lockApplication(q: Queryable, id: string): Promise<boolean> {
  const rows = await q.query('select id from applications where id = $1 for no key update', [id]);
  return rows.length > 0;
}

/** Holds (lockApplication) every application `userId` is a member of, in one order; before their account goes. */
export async function lockMemberApplications(q: Queryable, userId: string): Promise<void> {
  await q.query(
    `select a.id from applications a join application_members m on m.application_id = a.id
      where m.user_id = $1 order by a.id for no key update of a`,
    [userId],
  );
}

export async function renameApplication(q: Queryable, id: string, name: string): Promise<void> {
  await q.query('update applications set name = $2 where id = $1', [id, name]);
}

/** Deletes the application; its services, collections, images and members go with it (cascade). */
export async function deleteApplication(
  q: Queryable,
  id: string,
): Promise<{ services: { id: string; type: ServiceType }[]; imagePaths: string[] }> {
  // first the application's row: services being inserted meanwhile (insertService holds it) are then committed
  // and listed here, and later ones find the application gone
  await q.query('select id from applications where id = $1 for update', [id]);
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
