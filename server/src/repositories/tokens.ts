// Single-use e-mail tokens (address confirmation, password reset), stored as hashes with an expiry.
import type { Queryable } from '../db/types.js';

export type TokenPurpose = 'confirm' | 'reset';

/** Stores a new token, replacing the user's earlier tokens of the same purpose. */
export async function insertEmailToken(
  q: Queryable,
  t: { tokenHash: string; userId: string; purpose: TokenPurpose; ttlSeconds: number },
): Promise<void> {
  await q.query('delete from email_tokens where (user_id = $1 and purpose = $2) or expires_at < now()', [
    t.userId,
    t.purpose,
  ]);
  await q.query(
    `insert into email_tokens (token_hash, user_id, purpose, expires_at)
     values ($1, $2, $3, now() + make_interval(secs => $4))`,
    [t.tokenHash, t.userId, t.purpose, t.ttlSeconds],
  );
}

/** Deletes the token and returns its user when it existed, had this purpose and had not expired. */
export async function consumeEmailToken(
  q: Queryable,
  tokenHash: string,
  purpose: TokenPurpose,
): Promise<string | undefined> {
  const rows = await q.query<{ userId: string; valid: boolean }>(
    `delete from email_tokens where token_hash = $1 and purpose = $2
     returning user_id as "userId", expires_at > now() as valid`,
    [tokenHash, purpose],
  );
  return rows[0]?.valid ? rows[0].userId : undefined;
}
