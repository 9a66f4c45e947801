// OWASP's "device cookies" (Cheat Sheet: Slow Down Online Guessing Attacks with Device Cookies): a successful
// log-in gives the browser a cookie `<account>.<nonce>.<HMAC>` signed with a server secret kept in the
// database. An attempt carrying a valid one for its account is limited per device (keyed by the nonce) instead
// of per account, so an attacker's wrong passwords cannot lock the owner out of a browser they have used.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Queryable } from '../../db/types.js';
import { getOrCreateSecret } from '../../repositories/secrets.js';

/** How long a device stays known (renewed by every successful log-in from it). */
export const DEVICE_COOKIE_TTL = 180 * 24 * 3600;

export function createDeviceCookies(q: Queryable) {
  let key: Promise<Buffer> | undefined;
  const secret = () => {
    key ??= getOrCreateSecret(q, 'device-cookie', randomBytes(32).toString('base64url')).then((s) =>
      Buffer.from(s, 'base64url'),
    );
    return key;
  };
  const sign = async (payload: string) =>
    createHmac('sha256', await secret())
      .update(payload)
      .digest();
  return {
    /** A new device cookie value binding this browser to `account`. */
    async issue(account: string): Promise<string> {
      const payload = `${Buffer.from(account).toString('base64url')}.${randomBytes(16).toString('base64url')}`;
      return `${payload}.${(await sign(payload)).toString('base64url')}`;
    },
    /** The device's id (its nonce) when `cookie` is a genuine device cookie for `account`, else undefined. */
    async verify(cookie: string | undefined, account: string): Promise<string | undefined> {
      const parts = cookie?.split('.');
      if (!parts || parts.length !== 3) return undefined;
      const [who, nonce, mac] = parts;
      if (Buffer.from(who, 'base64url').toString() !== account || !nonce) return undefined;
      const expected = await sign(`${who}.${nonce}`);
      const given = Buffer.from(mac, 'base64url');
      return given.length === expected.length && timingSafeEqual(given, expected) ? nonce : undefined;
    },
  };
}
