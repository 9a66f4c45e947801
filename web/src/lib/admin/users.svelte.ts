// Everyone with an account on this server, for global owners and administrators: list, change a global role
// (the owner hands ownership over), reset a password without e-mail, delete. The rules mirror the server's
// (server/src/services/admin/roles.ts) so that the page offers only what the server will accept.
import type { Feedback } from '../feedback.js';
import { ADMIN_CODES, adminError } from './errors.js';
import type { AdminSession } from './session.svelte.js';
import { displayName, type AdminUser, type Role } from './types.js';

const RANK: Record<Role, number> = { USER: 0, ADMINISTRATOR: 1, OWNER: 2 };

/** Whether `actor` may manage `target`: owners and administrators, never the owner unless owner, never oneself. */
export function canManageUser(actor: AdminUser, target: AdminUser): boolean {
  return actor.role !== 'USER' && actor.id !== target.id && RANK[actor.role] >= RANK[target.role];
}

/** The global roles `actor` may give: only the owner hands ownership over. */
export const assignableRoles = (actor: AdminUser): Role[] =>
  actor.role === 'OWNER' ? ['OWNER', 'ADMINISTRATOR', 'USER'] : ['ADMINISTRATOR', 'USER'];

export class UsersStore {
  list = $state<AdminUser[]>([]);
  loaded = $state(false);
  search = $state('');
  busy = $state(false);
  feedback = $state<Feedback | undefined>();
  /** A password just set for a user, shown once beside their row. */
  issued = $state<{ userId: string; password: string } | undefined>();
  readonly filtered = $derived.by(() => {
    const q = this.search.trim().toLowerCase();
    return q ? this.list.filter((u) => `${displayName(u)} ${u.email}`.toLowerCase().includes(q)) : this.list;
  });

  constructor(private readonly session: AdminSession) {}

  async load(): Promise<void> {
    try {
      const r = await this.session.call<{ users: AdminUser[] }>('GET', 'users');
      this.list = r.users.sort((a, b) => displayName(a).localeCompare(displayName(b)));
      this.loaded = true;
    } catch (err) {
      this.feedback = { at: 'users', error: adminError('Loading the users', err) };
    }
  }

  async setRole(user: AdminUser, role: Role): Promise<void> {
    await this.#act(`user-${user.id}`, `Changing the role of ${displayName(user)}`, async () => {
      await this.session.call('PUT', `users/${user.id}/role`, { role });
      // Handing ownership over makes the previous owner (me) an administrator: reload everyone.
      if (role === 'OWNER') {
        const me = await this.session.call<AdminUser>('GET', 'me');
        this.session.user = me;
        await this.load();
      } else this.list = this.list.map((u) => (u.id === user.id ? { ...u, role } : u));
      return `${displayName(user)} is now ${role === 'OWNER' ? 'the owner' : role.toLowerCase()}.`;
    });
  }

  /** Generates a new password for `user` (their sessions end); shown once to hand over. */
  async resetPassword(user: AdminUser): Promise<void> {
    this.issued = undefined;
    await this.#act(`user-${user.id}`, `Resetting the password of ${displayName(user)}`, async () => {
      const r = await this.session.call<{ password: string }>('POST', `users/${user.id}/password`, {});
      this.issued = { userId: user.id, password: r.password };
      return `New password for ${displayName(user)}. Hand it over privately; they can change it on their Account page. Their sessions were ended.`;
    });
  }

  async remove(user: AdminUser): Promise<void> {
    await this.#act(`user-${user.id}`, `Deleting ${displayName(user)}`, async () => {
      await this.session.call('DELETE', `users/${user.id}`);
      this.list = this.list.filter((u) => u.id !== user.id);
      return undefined;
    });
    if (!this.feedback?.error) this.feedback = { at: 'users', text: `${displayName(user)} was deleted.` };
  }

  async #act(at: string, action: string, run: () => Promise<string | undefined>): Promise<void> {
    this.busy = true;
    this.feedback = undefined;
    try {
      const text = await run();
      if (text) this.feedback = { at, text };
    } catch (err) {
      this.feedback = {
        at,
        error: adminError(action, err, {
          [ADMIN_CODES.forbidden]:
            'Administrators manage administrators and users; only the owner manages the owner.',
          [ADMIN_CODES.conflict]: 'The owner cannot be deleted: hand ownership over to someone else first.',
        }),
      };
    } finally {
      this.busy = false;
    }
  }
}
