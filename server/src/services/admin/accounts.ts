// A person's own account: sign-up (the first user becomes the global owner), log-in with brute-force
// limits, sessions, log-out, password change, the password asked again before deleting the account, and —
// when e-mail is configured — address confirmation (1 h tokens) and password reset by e-mail (15 min tokens).
import { randomUUID } from 'node:crypto';
import { Conflict, EmailDisabled, Forbidden, InvalidToken, Unauthorized } from '../../../../shared/errors.js';
import type { Mail } from '../../mail/mailer.js';
import { confirmationMail, resetMail } from '../../mail/messages.js';
import {
  deleteSession,
  deleteUserSessions,
  findSessionUser,
  insertSession,
} from '../../repositories/sessions.js';
import { consumeEmailToken, insertEmailToken, type TokenPurpose } from '../../repositories/tokens.js';
import {
  countUsers,
  findPasswordHash,
  findUserByEmail,
  insertUser,
  lockUsers,
  setEmailConfirmed,
  setPasswordHash,
  setUserName,
  type Role,
  type UserRow,
} from '../../repositories/users.js';
import type { AdminCtx } from './context.js';
import { hashPassword, hashToken, newToken, verifyNothing, verifyPassword } from './passwords.js';
import { createDeviceCookies } from './device-cookies.js';
import { createThrottle, UNKNOWN } from './throttle.js';

export const CONFIRM_TTL = 3600;
export const RESET_TTL = 15 * 60;

/** A new account's fields, checked (validate.ts: e-mail, password policy, names of at most 100 characters). */
export interface SignUpInput {
  email: string;
  password: string;
  firstName?: string;
  lastName?: string;
}

export function accountServices(ctx: AdminCtx) {
  const { db, config, mailer, logger } = ctx;
  const throttle = createThrottle(db, {
    perAccount: config.loginMaxFailures,
    perAddress: config.loginMaxFailuresPerAddress,
    windowSeconds: config.loginWindow,
  });
  const devices = createDeviceCookies(db);

  async function sendToken(user: UserRow, purpose: TokenPurpose): Promise<void> {
    if (!mailer) return;
    const t = newToken();
    await insertEmailToken(db, {
      tokenHash: t.hash,
      userId: user.id,
      purpose,
      ttlSeconds: purpose === 'confirm' ? CONFIRM_TTL : RESET_TTL,
    });
    const mail: Mail = (purpose === 'confirm' ? confirmationMail : resetMail)(
      user.email,
      config.publicUrl,
      t.token,
    );
    try {
      await mailer.send(mail);
    } catch (e) {
      logger?.error('e-mail not sent', {
        to: user.email,
        purpose,
        error: e instanceof Error ? e.message : String(e),
      });
    }
  }

  /** Creates a user: the first one is the confirmed global OWNER; later ones get `role` (default USER). */
  async function createAccount(
    input: SignUpInput,
    opts: { role?: Role; confirmed: boolean },
  ): Promise<{ user: UserRow; first: boolean }> {
    const { email, firstName = '', lastName = '' } = input;
    const passwordHash = await hashPassword(input.password);
    return db.transaction(async (tx) => {
      await lockUsers(tx);
      const first = (await countUsers(tx)) === 0;
      if (!first && opts.role === 'OWNER') throw new Conflict('There is already an owner');
      const user = await insertUser(tx, {
        id: randomUUID(),
        email,
        firstName,
        lastName,
        passwordHash,
        role: first ? 'OWNER' : (opts.role ?? 'USER'),
        emailConfirmed: first || opts.confirmed,
      });
      if (!user) throw new Conflict(`A user with e-mail ${email} already exists`);
      return { user, first };
    });
  }

  async function confirmPassword(user: UserRow, password: unknown, address: string = UNKNOWN): Promise<void> {
    const account = user.email.toLowerCase();
    await throttle.attempt(account, address);
    const stored = await findPasswordHash(db, user.id);
    if (!stored || typeof password !== 'string' || !(await verifyPassword(stored, password)))
      throw new Forbidden('The current password is incorrect');
    await throttle.succeed(account);
  }

  async function openSession(userId: string): Promise<string> {
    const t = newToken();
    await insertSession(db, { tokenHash: t.hash, userId, ttlSeconds: config.sessionTtl });
    return t.token;
  }

  return {
    createAccount,
    openSession,

    /**
     * Self-service sign-up. Open when SIGNUP_ENABLED or while there is no user. With e-mail configured, later
     * users confirm their address before logging in; `session` is set when the new user may log in at once.
     */
    async signUp(
      input: SignUpInput,
    ): Promise<{ user: UserRow; confirmationRequired: boolean; session?: string }> {
      if (!config.signupEnabled && (await countUsers(db)) > 0)
        throw new Forbidden('Sign-up is disabled; ask an administrator for an account');
      const { user } = await createAccount(input, { confirmed: !mailer });
      if (!user.emailConfirmed) {
        await sendToken(user, 'confirm');
        return { user, confirmationRequired: true };
      }
      return { user, confirmationRequired: false, session: await openSession(user.id) };
    },

    /**
     * Counts the attempt against the limits (per device when `deviceCookie` is genuine for the account, else per
     * account and address), then checks the password; returns the user, a new session token and a new device cookie.
     */
    async login(
      email: string,
      pw: string,
      address: string,
      deviceCookie?: string,
    ): Promise<{ user: UserRow; session: string; device: string }> {
      const account = email.trim().toLowerCase();
      if (!account || !pw) throw new Unauthorized('Incorrect e-mail or password');
      const device = await devices.verify(deviceCookie, account);
      await throttle.attempt(account, address, device);
      const found = await findUserByEmail(db, account);
      const ok = found ? await verifyPassword(found.passwordHash, pw) : (await verifyNothing(pw), false);
      if (!found || !ok) throw new Unauthorized('Incorrect e-mail or password');
      await throttle.succeed(account, device);
      // confirmation is required only while e-mail is configured (else it could never happen)
      if (!found.emailConfirmed && mailer)
        throw new Forbidden('Confirm your e-mail address first: see the message we sent');
      const { passwordHash: _, ...user } = found;
      return { user, session: await openSession(user.id), device: await devices.issue(account) };
    },

    /** The user of a live session token, or undefined. */
    sessionUser: (token: string): Promise<UserRow | undefined> => findSessionUser(db, hashToken(token)),

    logout: (token: string) => deleteSession(db, hashToken(token)),

    /** Changes the caller's first and last name (each optional, as at sign-up); returns the user as now. */
    async updateProfile(
      user: UserRow,
      { firstName, lastName }: { firstName: string; lastName: string },
    ): Promise<UserRow> {
      await setUserName(db, user.id, { firstName, lastName });
      return { ...user, firstName, lastName };
    },

    /**
     * Asks a signed-in user for their password again before a step that cannot be undone (deleting the account).
     * Counted by the log-in limits like a log-in (429 once over them); a wrong or missing password is Forbidden.
     */
    confirmPassword,
    /** Changes the caller's password (the old one is required) and ends their other sessions. */
    async changePassword(
      user: UserRow,
      session: string,
      oldPassword: string | undefined,
      newPassword: string,
      address: string = UNKNOWN,
    ): Promise<void> {
      // counted like a log-in: a stolen session must not become an unlimited password oracle
      await confirmPassword(user, oldPassword, address);
      await setPasswordHash(db, user.id, await hashPassword(newPassword));
      await deleteUserSessions(db, user.id, hashToken(session));
    },

    async confirmEmail(token: string | undefined): Promise<void> {
      const userId =
        token === undefined ? undefined : await consumeEmailToken(db, hashToken(token), 'confirm');
      if (!userId) throw new InvalidToken();
      await setEmailConfirmed(db, userId);
    },

    /** Sends a new confirmation link to an unconfirmed address; silent about unknown ones. */
    async resendConfirmation(email: string, address: string): Promise<void> {
      if (!mailer) throw new EmailDisabled();
      const e = email.toLowerCase();
      if (!(await throttle.allow(`confirm:${e}`, address))) return;
      const user = await findUserByEmail(db, e);
      if (user && !user.emailConfirmed) await sendToken(user, 'confirm');
    },

    /** Sends a reset link when the address is known; silent either way (no account discovery). */
    async requestPasswordReset(email: string, address: string): Promise<void> {
      if (!mailer) throw new EmailDisabled();
      const e = email.toLowerCase();
      if (!(await throttle.allow(`reset:${e}`, address))) return;
      const user = await findUserByEmail(db, e);
      if (user) await sendToken(user, 'reset');
    },

    /** Sets a new password from a reset link; proves the address too, and ends every session. */
    async resetPasswordWithToken(token: string | undefined, password: string): Promise<void> {
      const userId = token === undefined ? undefined : await consumeEmailToken(db, hashToken(token), 'reset');
      if (!userId) throw new InvalidToken();
      await setPasswordHash(db, userId, await hashPassword(password));
      await setEmailConfirmed(db, userId);
      await deleteUserSessions(db, userId);
    },
  };
}

export type AccountServices = ReturnType<typeof accountServices>;
