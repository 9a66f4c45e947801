// Managing other users (global owners and administrators): list, create, reset a password without e-mail,
// change the global role (handing ownership over), delete. Also the shell's password reset.
import { AdminNotFound, Conflict, Forbidden } from '../../../../shared/errors.js';
import { lockMemberApplications } from '../../repositories/applications.js';
import { listSoleOwnedApplications, promoteSuccessor } from '../../repositories/members.js';
import { deleteUserSessions } from '../../repositories/sessions.js';
import {
  deleteUser,
  findUserByEmail,
  findUserById,
  listUsers,
  setEmailConfirmed,
  setPasswordHash,
  setUserRole,
  type UserRow,
} from '../../repositories/users.js';
import type { AccountServices } from './accounts.js';
import type { AdminCtx } from './context.js';
import { generatePassword, hashPassword } from './passwords.js';
import { canManageUser, type Role } from './roles.js';
import { checkEmail, checkId, optionalPassword } from './validate.js';

/** A user created by an owner, administrator or the shell: checked fields (validate.ts); absent password = generated. */
export interface NewUserInput {
  email: string;
  password?: string;
  firstName?: string;
  lastName?: string;
  role?: Exclude<Role, 'OWNER'>;
}

export function userServices(ctx: AdminCtx, accounts: AccountServices) {
  const { db } = ctx;

  /** The target user, if `actor` may manage them (never themselves). */
  async function managed(actor: UserRow, id: string): Promise<UserRow> {
    if (actor.role === 'USER') throw new Forbidden('Only owners and administrators manage users');
    const target = await findUserById(db, checkId(id, 'User'));
    if (!target) throw new AdminNotFound('User not found');
    if (target.id === actor.id) throw new Forbidden('Manage your own account from your profile');
    if (!canManageUser(actor.role, target.role))
      throw new Forbidden('Administrators cannot manage the owner');
    return target;
  }

  /** Sets `password` (checked), or a generated one when absent. */
  async function setPassword(userId: string, password: string | undefined): Promise<string> {
    const next = password ?? generatePassword();
    await setPasswordHash(db, userId, await hashPassword(next));
    // whoever sets it vouches for the account: an unconfirmed address no longer blocks the log-in
    await setEmailConfirmed(db, userId);
    await deleteUserSessions(db, userId);
    return next;
  }

  return {
    async listUsers(actor: UserRow): Promise<UserRow[]> {
      if (actor.role === 'USER') throw new Forbidden('Only owners and administrators manage users');
      return listUsers(db);
    },

    /** An owner or administrator (or the shell: no actor) creates a confirmed user; the password may be generated. */
    async createUser(
      actor: UserRow | undefined,
      input: NewUserInput,
    ): Promise<{ user: UserRow; password: string }> {
      if (actor && actor.role === 'USER') throw new Forbidden('Only owners and administrators create users');
      const { role = 'USER', password = generatePassword() } = input;
      const { user } = await accounts.createAccount({ ...input, password }, { role, confirmed: true });
      return { user, password };
    },

    /** Sets (or generates) another user's password and ends their sessions: no e-mail needed. */
    async resetPassword(actor: UserRow, id: string, password?: string): Promise<string> {
      const target = await managed(actor, id);
      return setPassword(target.id, password);
    },

    /** From the server's shell: resets the password of the user with this e-mail. */
    async resetPasswordByEmail(
      email: string,
      password?: string,
    ): Promise<{ user: UserRow; password: string }> {
      const found = await findUserByEmail(db, checkEmail(email));
      if (!found) throw new AdminNotFound(`No user with e-mail ${email}`);
      const { passwordHash: _, ...user } = found;
      return { user, password: await setPassword(user.id, optionalPassword(password, true)) };
    },

    /**
     * Changes a global role. Making someone OWNER hands ownership over (owner only): the previous owner
     * becomes an administrator.
     */
    async setRole(actor: UserRow, id: string, role: Role): Promise<UserRow> {
      const target = await managed(actor, id);
      if (role === 'OWNER') {
        if (actor.role !== 'OWNER') throw new Forbidden('Only the owner hands ownership over');
        await db.transaction(async (tx) => {
          await setUserRole(tx, actor.id, 'ADMINISTRATOR');
          await setUserRole(tx, target.id, 'OWNER');
        });
      } else {
        await setUserRole(db, target.id, role);
      }
      return { ...target, role };
    },

    /**
     * Deletes a user (managers delete others; anyone but the owner deletes themselves). Applications they
     * alone owned pass to their longest-standing administrator, else user; with no member left, only global
     * owners and administrators see them. Deleting oneself needs one's current `password`
     * (accounts.confirmPassword, counted by the log-in limits).
     */
    async deleteUser(actor: UserRow, id: string, password?: unknown, address?: string): Promise<void> {
      const self = checkId(id, 'User') === actor.id;
      const target = self ? actor : await managed(actor, id);
      if (target.role === 'OWNER')
        throw new Conflict('The owner cannot be deleted: hand ownership over first');
      if (self) await accounts.confirmPassword(actor, password, address);
      await db.transaction(async (tx) => {
        // hand-overs in their applications wait (or have happened): who owns what is read after them
        await lockMemberApplications(tx, target.id);
        for (const app of await listSoleOwnedApplications(tx, target.id))
          await promoteSuccessor(tx, app, target.id);
        await deleteUser(tx, target.id);
      });
    },
  };
}

export type UserServices = ReturnType<typeof userServices>;
