// Brute-force limits on log-in: too many attempts per account or per client address within a sliding
// window refuse further attempts (429 with Retry-After) until old ones leave the window. Each attempt is counted
// atomically before its password is checked, so parallel guesses cannot slip past the limit; a success clears
// the account's count.
import { TooManyAttempts } from '../../../../shared/errors.js';
import type { Db } from '../../db/types.js';
import {
  clearAccountFailures,
  countFailures,
  insertFailure,
  recordAttempt,
} from '../../repositories/sessions.js';

/** The address of a request whose peer is not known: never one shared bucket that locks everybody out. */
export const UNKNOWN = 'unknown';

export interface ThrottleLimits {
  perAccount: number;
  perAddress: number;
  windowSeconds: number;
}

export function createThrottle(q: Db, limits: ThrottleLimits) {
  const retryAfter = (oldest: Date | null) =>
    Math.max(
      1,
      Math.ceil(((oldest?.getTime() ?? Date.now()) + limits.windowSeconds * 1000 - Date.now()) / 1000),
    );
  return {
    /** Counts a log-in attempt before its password is checked; TooManyAttempts when over a limit (not counted). */
    async attempt(account: string, address: string): Promise<void> {
      const f = await recordAttempt(q, account, address, {
        ...limits,
        perAddress: address === UNKNOWN ? Infinity : limits.perAddress,
      });
      if (f.allowed) return;
      if (f.account.count >= limits.perAccount) throw new TooManyAttempts(retryAfter(f.account.oldest));
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
    succeed: (account: string) => clearAccountFailures(q, account),
  };
}
