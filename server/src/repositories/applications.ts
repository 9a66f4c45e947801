// Applications: the owners of face services (the admin issue adds members and roles).
import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/types.js';

export async function insertApplication(q: Queryable, name: string): Promise<{ id: string; name: string }> {
  const id = randomUUID();
  await q.query('insert into applications (id, name) values ($1, $2)', [id, name]);
  return { id, name };
}
