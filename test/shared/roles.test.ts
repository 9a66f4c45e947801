// shared/roles.ts: who may change or remove a member of an application, for the server and the web app alike.
import { describe, expect, it } from 'vitest';
import { canManageMember, type Role } from '../../shared/roles.js';

const ROLES: Role[] = ['OWNER', 'ADMINISTRATOR', 'USER'];

describe('canManageMember', () => {
  it('answers the whole table: owners manage everyone, administrators all but owners, users nobody', () => {
    const table = ROLES.map((actor) => ROLES.map((target) => canManageMember(actor, target)));
    expect(table).toEqual([
      // target: OWNER, ADMINISTRATOR, USER
      [true, true, true], // actor OWNER
      [false, true, true], // actor ADMINISTRATOR
      [false, false, false], // actor USER
    ]);
  });

  it('is the rule the server and the web app both use', async () => {
    const server = await import('../../server/src/services/admin/roles.js');
    const web = await import('../../web/src/lib/admin/types.js');
    expect(server.canManageMember).toBe(canManageMember);
    expect(web.canManageMember).toBe(canManageMember);
  });
});
