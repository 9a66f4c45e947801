// Server secrets kept in the database (generated once, shared by every server on it).
import type { Queryable } from '../db/types.js';

/** The secret called `name`; `fresh` is stored first when there is none yet (the first writer wins). */
export async function getOrCreateSecret(q: Queryable, name: string, fresh: string): Promise<string> {
  await q.query('insert into server_secrets (name, value) values ($1, $2) on conflict (name) do nothing', [
    name,
    fresh,
  ]);
  const rows = await q.query<{ value: string }>('select value from server_secrets where name = $1', [name]);
  return rows[0].value;
}
