// Applications and their members under CompreFace's role rules: anyone creates an application and owns it;
// owners and administrators rename it and manage members; only the owner deletes it or hands it over;
// users see but do not change. Non-members get "not found" (global owners/administrators see everything).
import {
  AdminNotFound,
  ApplicationDeleted,
  Conflict,
  Forbidden,
  Unauthorized,
} from '../../../../shared/errors.js';
import {
  findApplication,
  insertApplication,
  listApplications,
  lockApplication,
  renameApplication,
} from '../../repositories/applications.js';
import {
  deleteMember,
  demoteOwners,
  findMemberRole,
  insertMember,
  listMembers,
  setMemberRole,
  type MemberRow,
} from '../../repositories/members.js';
import { findUserByEmail, type UserRow } from '../../repositories/users.js';
import type { AdminCtx } from './context.js';
import { canInApp, canManageMember, effectiveAppRole, type AppAction, type Role } from './roles.js';
import { checkId } from './validate.js';

const HAND_OVER_FIRST = 'Hand the application over to another member first';

export interface AppView {
  id: string;
  name: string;
  createdAt: Date;
  /** The caller's effective role in the application. */
  role: Role;
}

export function applicationServices(ctx: AdminCtx) {
  const { db, collections } = ctx;

  /** The application as `user` sees it, if they may do `action` there (404 if not visible, 403 if not allowed). */
  async function access(user: UserRow, appId: string, action: AppAction): Promise<AppView> {
    const row = await findApplication(db, checkId(appId, 'Application'), user.id);
    const role = row && effectiveAppRole(user.role, row.memberRole);
    if (!row || !role) throw new AdminNotFound('Application not found');
    if (!canInApp(role, action)) throw new Forbidden(`An application ${role.toLowerCase()} cannot do this`);
    return { id: row.id, name: row.name, createdAt: row.createdAt, role };
  }

  /** Why a member's change touched nothing: they left, or the application was handed over to them meanwhile. */
  async function changedMeanwhile(appId: string, userId: string): Promise<never> {
    if ((await memberRole(appId, userId)) === 'OWNER') throw new Conflict(HAND_OVER_FIRST);
    throw new AdminNotFound('Member not found');
  }

  async function memberRole(appId: string, userId: string): Promise<Role> {
    const role = await findMemberRole(db, appId, checkId(userId, 'Member'));
    if (!role) throw new AdminNotFound('Member not found');
    return role;
  }

  return {
    access,

    async list(user: UserRow): Promise<AppView[]> {
      const rows = await listApplications(db, user.id, user.role !== 'USER');
      return rows.map((r) => ({
        id: r.id,
        name: r.name,
        createdAt: r.createdAt,
        role: effectiveAppRole(user.role, r.memberRole) ?? 'USER',
      }));
    },

    /** Creates an application named `n` (checked: validate.ts checkName) owned by `user`. */
    async create(user: UserRow, n: string): Promise<AppView> {
      return db.transaction(async (tx) => {
        const app = await insertApplication(tx, n);
        // false: the account was deleted since this request's session was read
        if (!(await insertMember(tx, app.id, user.id, 'OWNER'))) throw new Unauthorized('Log in first');
        const row = await findApplication(tx, app.id, user.id);
        return { id: app.id, name: n, createdAt: row?.createdAt ?? new Date(), role: 'OWNER' as Role };
      });
    },

    async rename(user: UserRow, appId: string, n: string): Promise<AppView> {
      const app = await access(user, appId, 'manage');
      await renameApplication(db, app.id, n);
      return { ...app, name: n };
    },

    /** Deletes the application with its services, collections, image files and memberships. */
    async remove(user: UserRow, appId: string): Promise<void> {
      const app = await access(user, appId, 'delete');
      await collections.deleteApplication(app.id);
    },

    async members(user: UserRow, appId: string): Promise<MemberRow[]> {
      const app = await access(user, appId, 'view');
      return listMembers(db, app.id);
    },

    /** Adds an existing user (by e-mail) as ADMINISTRATOR or USER. */
    async invite(user: UserRow, appId: string, e: string, r: Exclude<Role, 'OWNER'>): Promise<MemberRow> {
      const app = await access(user, appId, 'manage');
      const invitee = await findUserByEmail(db, e);
      if (!invitee) throw new AdminNotFound(`No user with e-mail ${e}: they need to sign up first`);
      if (!(await insertMember(db, app.id, invitee.id, r))) {
        if (await findMemberRole(db, app.id, invitee.id))
          throw new Conflict(`${invitee.email} is already a member of this application`);
        // the application or the invitee was deleted since they were found
        throw new AdminNotFound('Application or user not found');
      }
      return {
        userId: invitee.id,
        email: invitee.email,
        firstName: invitee.firstName,
        lastName: invitee.lastName,
        role: r,
      };
    },

    /** Changes a member's role; OWNER hands the application over (the previous owner becomes administrator). */
    async setRole(user: UserRow, appId: string, memberId: string, role: Role): Promise<void> {
      const app = await access(user, appId, 'manage');
      const current = await memberRole(app.id, memberId);
      if (memberId.toLowerCase() === user.id && user.role === 'USER')
        throw new Forbidden('You cannot change your own role');
      if (!canManageMember(app.role, current)) throw new Forbidden('Only the owner changes the owner');
      if (role === 'OWNER') {
        if (!canInApp(app.role, 'transfer')) throw new Forbidden('Only the owner hands the application over');
        await db.transaction(async (tx) => {
          // one hand-over at a time; the member may have left or been removed meanwhile (then nothing changes)
          if (!(await lockApplication(tx, app.id))) throw new ApplicationDeleted();
          await demoteOwners(tx, app.id);
          if (!(await setMemberRole(tx, app.id, memberId.toLowerCase(), 'OWNER')))
            throw new AdminNotFound('Member not found');
        });
        return;
      }
      if (current === 'OWNER') throw new Conflict(HAND_OVER_FIRST);
      if (!(await setMemberRole(db, app.id, memberId.toLowerCase(), role, { keepOwner: true })))
        await changedMeanwhile(app.id, memberId);
    },

    /** Removes a member; members may leave; the owner cannot leave or be removed before handing over. */
    async removeMember(user: UserRow, appId: string, memberId: string): Promise<void> {
      const self = memberId.toLowerCase() === user.id;
      const app = await access(user, appId, self ? 'view' : 'manage');
      const current = await memberRole(app.id, memberId);
      if (current === 'OWNER') throw new Conflict(HAND_OVER_FIRST);
      if (!self && !canManageMember(app.role, current))
        throw new Forbidden('Not allowed to remove this member');
      if (!(await deleteMember(db, app.id, memberId.toLowerCase()))) await changedMeanwhile(app.id, memberId);
    },
  };
}

export type ApplicationServices = ReturnType<typeof applicationServices>;
