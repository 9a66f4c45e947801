// Brute-force limits on log-in: too many failures per account or per client address within a sliding
// window refuse further attempts (429 with Retry-After) until old failures leave the window.
import { TooManyAttempts } from '../../../../shared/errors.js';
import type { Queryable } from '../../db/types.js';
import { clearAccountFailures, countFailures, insertFailure } from '../../repositories/sessions.js';

/** The address of a request whose peer is not known: never one shared bucket that locks everybody out. */
export const UNKNOWN = 'unknown';

export interface ThrottleLimits {
  perAccount: number;
  perAddress: number;
  windowSeconds: number;
}

export function createThrottle(q: Queryable, limits: ThrottleLimits) {
  const retryAfter = (oldest: Date | null) =>
    Math.max(
      1,
      Math.ceil(((oldest?.getTime() ?? Date.now()) + limits.windowSeconds * 1000 - Date.now()) / 1000),
    );
  return {
    /** Throws TooManyAttempts when the account or the address is over its limit. */
    async check(account: string, address: string): Promise<void> {
      const f = await countFailures(q, account, address, limits.windowSeconds);
      if (f.account.count >= limits.perAccount) throw new TooManyAttempts(retryAfter(f.account.oldest));
      if (address !== UNKNOWN && f.address.count >= limits.perAddress)
        throw new TooManyAttempts(retryAfter(f.address.oldest));
    },
    /** True when the account (e.g. `reset:<email>`) is under its limit; records one use either way. */
    async allow(account: string, address: string): Promise<boolean> {
      const f = await countFailures(q, account, address, limits.windowSeconds);
      await insertFailure(q, account, address, limits.windowSeconds);
      return (
        f.account.count < limits.perAccount && (address === UNKNOWN || f.address.count < limits.perAddress)
      );
    },
    fail: (account: string, address: string) => insertFailure(q, account, address, limits.windowSeconds),
    succeed: (account: string) => clearAccountFailures(q, account),
  };
}
