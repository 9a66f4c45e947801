// CompreFace's role rules as pure functions: global roles (OWNER > ADMINISTRATOR > USER) over users, and
// application roles over what a member may do inside an application. Global owners and administrators act
// as owners of every application; application users see but do not change.
import type { Role } from '../../repositories/users.js';

export type { Role };
export const ROLES: readonly Role[] = ['OWNER', 'ADMINISTRATOR', 'USER'];

const RANK: Record<Role, number> = { USER: 0, ADMINISTRATOR: 1, OWNER: 2 };

export const isRole = (v: unknown): v is Role => typeof v === 'string' && (ROLES as string[]).includes(v);

/** Global owners and administrators manage users; administrators cannot touch the owner. */
export function canManageUser(actor: Role, target: Role): boolean {
  return actor !== 'USER' && RANK[actor] >= RANK[target];
}

/** The role the user holds in an application: membership, raised to OWNER for global owners/administrators. */
export function effectiveAppRole(globalRole: Role, memberRole: Role | null | undefined): Role | undefined {
  if (globalRole !== 'USER') return 'OWNER';
  return memberRole ?? undefined;
}

export type AppAction =
  | 'view' // see the application, its members, services, API keys and statistics
  | 'manage' // rename; services: create, rename, clone, new key, delete; invite, change roles, remove members
  | 'delete' // delete the application
  | 'transfer'; // make another member the owner

export function canInApp(role: Role, action: AppAction): boolean {
  switch (action) {
    case 'view':
      return true;
    case 'manage':
      return role !== 'USER';
    case 'delete':
    case 'transfer':
      return role === 'OWNER';
  }
}

/** Whether `actor` may change or remove a member who holds `target`: one rule with the web app's members panel. */
export { canManageMember } from '../../../../shared/roles.js';

/**
 * The server's shell (CLI) acts with the global owner's powers without being a user: it sees every
 * application and is a member of none.
 */
export const SHELL_ACTOR = {
  id: '00000000-0000-0000-0000-000000000000',
  email: 'shell',
  firstName: '',
  lastName: '',
  role: 'OWNER' as Role,
  emailConfirmed: true,
  createdAt: new Date(0),
};
