// Log-in sessions (stored as hashes of the cookie value) and failed log-ins for the brute-force limits.
import type { Db, Queryable } from '../db/types.js';
import type { UserRow } from './users.js';

export async function insertSession(
  q: Queryable,
  s: { tokenHash: string; userId: string; ttlSeconds: number },
): Promise<void> {
  await q.query('delete from sessions where user_id = $1 and expires_at < now()', [s.userId]);
  await q.query(
    `insert into sessions (token_hash, user_id, expires_at) values ($1, $2, now() + make_interval(secs => $3))`,
    [s.tokenHash, s.userId, s.ttlSeconds],
  );
}

/** The user of an unexpired session. */
export async function findSessionUser(q: Queryable, tokenHash: string): Promise<UserRow | undefined> {
  const rows = await q.query<UserRow>(
    `select u.id, u.email, u.first_name as "firstName", u.last_name as "lastName", u.role,
            u.email_confirmed as "emailConfirmed", u.created_at as "createdAt"
       from sessions s join users u on u.id = s.user_id
      where s.token_hash = $1 and s.expires_at > now()`,
    [tokenHash],
  );
  return rows[0];
}

export async function deleteSession(q: Queryable, tokenHash: string): Promise<void> {
  await q.query('delete from sessions where token_hash = $1', [tokenHash]);
}

/** Ends every session of the user except `keepTokenHash` (after a password change). */
export async function deleteUserSessions(
  q: Queryable,
  userId: string,
  keepTokenHash?: string,
): Promise<void> {
  await q.query('delete from sessions where user_id = $1 and token_hash <> $2', [
    userId,
    keepTokenHash ?? '',
  ]);
}

export interface FailureWindow {
  count: number;
  /** When the oldest failure in the window happened (null when none). */
  oldest: Date | null;
}

/** Failed attempts within the last `windowSeconds`, for an account and for an address. */
export async function countFailures(
  q: Queryable,
  account: string,
  address: string,
  windowSeconds: number,
): Promise<{ account: FailureWindow; address: FailureWindow }> {
  const rows = await q.query<{ kind: 'account' | 'address'; count: number; oldest: Date | null }>(
    `select 'account' as kind, count(*)::int as count, min(at) as oldest from login_failures
      where account = $1 and at > now() - make_interval(secs => $3)
     union all
     select 'address', count(*)::int, min(at) from login_failures
      where address = $2 and at > now() - make_interval(secs => $3)`,
    [account, address, windowSeconds],
  );
  const get = (k: string) => rows.find((r) => r.kind === k) ?? { count: 0, oldest: null };
  return { account: get('account'), address: get('address') };
}

/** Records a failure and prunes rows that have left the window. */
export async function insertFailure(
  q: Queryable,
  account: string,
  address: string,
  windowSeconds: number,
): Promise<void> {
  await q.query('delete from login_failures where at < now() - make_interval(secs => $1)', [windowSeconds]);
  await q.query('insert into login_failures (account, address) values ($1, $2)', [account, address]);
}

/**
 * Counts an attempt before it is checked, atomically: under advisory locks on the account and the address (taken
 * in that order, so two attempts never wait on each other crosswise), prunes the window, counts it, and records
 * the attempt only when both counts are under their limits. Parallel attempts are therefore counted one by one.
 * Returns the counts before this attempt and whether it was recorded (allowed).
 */
export async function recordAttempt(
  db: Db,
  account: string,
  address: string,
  limits: { perAccount: number; perAddress: number; windowSeconds: number },
): Promise<{ account: FailureWindow; address: FailureWindow; allowed: boolean }> {
  return db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock(hashtext($1))', [`login-account:${account}`]);
    await tx.query('select pg_advisory_xact_lock(hashtext($1))', [`login-address:${address}`]);
    const counts = await countFailures(tx, account, address, limits.windowSeconds);
    const allowed = counts.account.count < limits.perAccount && counts.address.count < limits.perAddress;
    if (allowed) await insertFailure(tx, account, address, limits.windowSeconds);
    return { ...counts, allowed };
  });
}

export async function clearAccountFailures(q: Queryable, account: string): Promise<void> {
  await q.query('delete from login_failures where account = $1', [account]);
}
