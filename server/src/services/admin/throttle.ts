// Brute-force limits on log-in: too many attempts per account or per client address within a sliding
// window refuse further attempts (429 with Retry-After) until old ones leave the window. Each attempt is counted
// atomically before its password is checked, so parallel guesses cannot slip past the limit; a success clears
// the account's count. An attempt from a known device (a valid device cookie, see device-cookies.ts) is counted
// per device instead of per account and address, so others' wrong passwords cannot lock the owner out.
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

const deviceKey = (device: string) => `device:${device}`;

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
    /**
     * Counts a log-in attempt before its password is checked; TooManyAttempts when over a limit (not counted).
     * With `device` (the id of a verified device cookie) the per-device count replaces the account's and address's.
     */
    async attempt(account: string, address: string, device?: string): Promise<void> {
      const f = await recordAttempt(q, device ? deviceKey(device) : account, address, {
        ...limits,
        perAddress: address === UNKNOWN || device ? Infinity : limits.perAddress,
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
    /**
     * Clears the count the successful attempt was held to: the device's, or else the account's. A known device's
     * success leaves the account's count alone, so the owner logging in gives a guesser no fresh attempts.
     */
    succeed: (account: string, device?: string) =>
      clearAccountFailures(q, device ? deviceKey(device) : account),
  };
}
