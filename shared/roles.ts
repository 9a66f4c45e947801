// Who may change whom inside an application, one rule for the server (services/admin/roles.ts) and the
// members panel of the web app, which offers only what the server allows.

export type Role = 'OWNER' | 'ADMINISTRATOR' | 'USER';

const RANK: Record<Role, number> = { USER: 0, ADMINISTRATOR: 1, OWNER: 2 };

/**
 * Whether someone with application role `actor` may change the role of, or remove, a member holding `target`:
 * owners and administrators manage, never someone above them, and nobody but an owner touches an owner.
 */
export function canManageMember(actor: Role, target: Role): boolean {
  return actor !== 'USER' && RANK[actor] >= RANK[target] && (target !== 'OWNER' || actor === 'OWNER');
}
