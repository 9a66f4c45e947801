// The authorisation matrix: every admin endpoint × every actor (anonymous, global OWNER and ADMINISTRATOR who
// are not members, the application's OWNER, ADMINISTRATOR and USER, and a user who is not a member), on a
// fresh application per case, on PGlite and PostgreSQL. Nobody reaches what they should not.
import { beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { insertUser, type UserRow } from '../../server/src/repositories/users.js';
import type { Role } from '../../server/src/services/admin/roles.js';
import { describeOnOneDatabase } from '../storage/backends.js';
import { agent, buildAdminApp, makeUser, type Agent } from './harness.js';

const ACTORS = [
  'anonymous',
  'globalOwner',
  'globalAdmin',
  'appOwner',
  'appAdmin',
  'appUser',
  'outsider',
] as const;
type Actor = (typeof ACTORS)[number];

/** The effective application role of each actor (undefined: not a member, sees nothing). */
const APP_ROLE: Record<Actor, Role | undefined> = {
  anonymous: undefined,
  globalOwner: 'OWNER',
  globalAdmin: 'OWNER',
  appOwner: 'OWNER',
  appAdmin: 'ADMINISTRATOR',
  appUser: 'USER',
  outsider: undefined,
};
const GLOBAL_ROLE: Record<Actor, Role | undefined> = {
  anonymous: undefined,
  globalOwner: 'OWNER',
  globalAdmin: 'ADMINISTRATOR',
  appOwner: 'USER',
  appAdmin: 'USER',
  appUser: 'USER',
  outsider: 'USER',
};

interface Fixture {
  app: string;
  service: string;
  /** A member with the USER role besides the actors, for member changes. */
  extra: string;
  /** A global user who is not a member, to invite. */
  invitee: string;
  /** A fresh global USER, for user management. */
  target: string;
}

type Need = 'user' | 'view' | 'manage' | 'owner' | 'userAdmin';
interface Case {
  name: string;
  need: Need;
  ok: number;
  call(a: Agent, f: Fixture): Promise<{ status: number }>;
}

const CASES: Case[] = [
  { name: 'GET /me', need: 'user', ok: 200, call: (a) => a.get('/admin/me') },
  {
    name: 'PUT /me/password',
    need: 'user',
    ok: 403,
    call: (a) => a.put('/admin/me/password', { old_password: 'wrong', new_password: 'whatever 123' }),
  },
  { name: 'GET /apps', need: 'user', ok: 200, call: (a) => a.get('/admin/apps') },
  { name: 'POST /apps', need: 'user', ok: 201, call: (a) => a.post('/admin/apps', { name: 'Mine' }) },
  { name: 'GET /apps/:app', need: 'view', ok: 200, call: (a, f) => a.get(`/admin/apps/${f.app}`) },
  {
    name: 'PUT /apps/:app',
    need: 'manage',
    ok: 200,
    call: (a, f) => a.put(`/admin/apps/${f.app}`, { name: 'Renamed' }),
  },
  { name: 'DELETE /apps/:app', need: 'owner', ok: 204, call: (a, f) => a.delete(`/admin/apps/${f.app}`) },
  {
    name: 'GET /apps/:app/members',
    need: 'view',
    ok: 200,
    call: (a, f) => a.get(`/admin/apps/${f.app}/members`),
  },
  {
    name: 'POST /apps/:app/members',
    need: 'manage',
    ok: 201,
    call: (a, f) => a.post(`/admin/apps/${f.app}/members`, { email: f.invitee, role: 'USER' }),
  },
  {
    name: 'PUT /apps/:app/members/:extra (ADMINISTRATOR)',
    need: 'manage',
    ok: 204,
    call: (a, f) => a.put(`/admin/apps/${f.app}/members/${f.extra}`, { role: 'ADMINISTRATOR' }),
  },
  {
    name: 'PUT /apps/:app/members/:extra (OWNER)',
    need: 'owner',
    ok: 204,
    call: (a, f) => a.put(`/admin/apps/${f.app}/members/${f.extra}`, { role: 'OWNER' }),
  },
  {
    name: 'DELETE /apps/:app/members/:extra',
    need: 'manage',
    ok: 204,
    call: (a, f) => a.delete(`/admin/apps/${f.app}/members/${f.extra}`),
  },
  {
    name: 'GET /apps/:app/services',
    need: 'view',
    ok: 200,
    call: (a, f) => a.get(`/admin/apps/${f.app}/services`),
  },
  {
    name: 'POST /apps/:app/services',
    need: 'manage',
    ok: 201,
    call: (a, f) => a.post(`/admin/apps/${f.app}/services`, { name: 'New', type: 'DETECTION' }),
  },
  {
    name: 'GET /apps/:app/services/:svc',
    need: 'view',
    ok: 200,
    call: (a, f) => a.get(`/admin/apps/${f.app}/services/${f.service}`),
  },
  {
    name: 'PUT /apps/:app/services/:svc',
    need: 'manage',
    ok: 200,
    call: (a, f) => a.put(`/admin/apps/${f.app}/services/${f.service}`, { name: 'Renamed' }),
  },
  {
    name: 'POST /apps/:app/services/:svc/clone',
    need: 'manage',
    ok: 201,
    call: (a, f) => a.post(`/admin/apps/${f.app}/services/${f.service}/clone`),
  },
  {
    name: 'POST /apps/:app/services/:svc/key',
    need: 'manage',
    ok: 200,
    call: (a, f) => a.post(`/admin/apps/${f.app}/services/${f.service}/key`),
  },
  {
    name: 'DELETE /apps/:app/services/:svc',
    need: 'manage',
    ok: 204,
    call: (a, f) => a.delete(`/admin/apps/${f.app}/services/${f.service}`),
  },
  {
    name: 'GET /apps/:app/services/:svc/stats',
    need: 'view',
    ok: 200,
    call: (a, f) => a.get(`/admin/apps/${f.app}/services/${f.service}/stats`),
  },
  { name: 'GET /users', need: 'userAdmin', ok: 200, call: (a) => a.get('/admin/users') },
  {
    name: 'POST /users',
    need: 'userAdmin',
    ok: 201,
    call: (a, f) =>
      a.post('/admin/users', { email: `made-${f.extra}@example.org`, password: 'password-123' }),
  },
  {
    name: 'PUT /users/:target/role',
    need: 'userAdmin',
    ok: 200,
    call: (a, f) => a.put(`/admin/users/${f.target}/role`, { role: 'ADMINISTRATOR' }),
  },
  {
    name: 'POST /users/:target/password',
    need: 'userAdmin',
    ok: 200,
    call: (a, f) => a.post(`/admin/users/${f.target}/password`),
  },
  {
    name: 'DELETE /users/:target',
    need: 'userAdmin',
    ok: 204,
    call: (a, f) => a.delete(`/admin/users/${f.target}`),
  },
];

/** The status `actor` must get for a case. */
function expected(c: Case, actor: Actor): number {
  if (actor === 'anonymous') return 401;
  const app = APP_ROLE[actor];
  switch (c.need) {
    case 'user':
      return c.ok;
    case 'userAdmin':
      return GLOBAL_ROLE[actor] === 'USER' ? 403 : c.ok;
    case 'view':
      return app ? c.ok : 404;
    case 'manage':
      return !app ? 404 : app === 'USER' ? 403 : c.ok;
    case 'owner':
      return !app ? 404 : app === 'OWNER' ? c.ok : 403;
  }
}

// the rules above the admin repositories (their SQL runs on both databases in the other admin suites)
describeOnOneDatabase('authorisation matrix', (get) => {
  const agents = {} as Record<Actor, Agent>;
  const ids = {} as Record<Actor, string>;
  let appOwnerRow: UserRow;
  let ctx: ReturnType<typeof buildAdminApp>;
  let seq = 0;

  beforeAll(async () => {
    ctx = buildAdminApp(get().config, get().db);
    const { app, admin } = ctx;
    agents.anonymous = agent(app);
    const owner = await makeUser(app, admin, 'owner@example.org');
    expect(owner.user.role).toBe('OWNER');
    for (const actor of ACTORS.slice(1)) {
      if (actor === 'globalOwner') {
        [agents[actor], ids[actor]] = [owner.agent, owner.user.id];
        continue;
      }
      const u = await makeUser(
        app,
        admin,
        `${actor}@example.org`,
        actor === 'globalAdmin' ? 'ADMINISTRATOR' : 'USER',
      );
      [agents[actor], ids[actor]] = [u.agent, u.user.id];
      if (actor === 'appOwner') appOwnerRow = u.user;
    }
  });

  /** A user who never logs in (no password hashing: keeps the matrix fast). */
  async function plainUser(email: string): Promise<UserRow> {
    const u = await insertUser(get().db, {
      id: randomUUID(),
      email,
      firstName: '',
      lastName: '',
      passwordHash: 'unused',
      role: 'USER',
      emailConfirmed: true,
    });
    return u!;
  }

  /** A fresh application owned by appOwner with appAdmin, appUser and an extra user; one service. */
  async function fixture(): Promise<Fixture> {
    const { admin } = ctx;
    const n = ++seq;
    const ownerRow = appOwnerRow;
    const app = await admin.applications.create(ownerRow, `App ${n}`);
    await admin.applications.invite(ownerRow, app.id, 'appAdmin@example.org', 'ADMINISTRATOR');
    await admin.applications.invite(ownerRow, app.id, 'appUser@example.org', 'USER');
    const extra = await plainUser(`extra${n}@example.org`);
    const invitee = await plainUser(`invitee${n}@example.org`);
    await admin.applications.invite(ownerRow, app.id, extra.email, 'USER');
    const service = await admin.services.create(ownerRow, app.id, { name: 'Door', type: 'recognition' });
    return { app: app.id, service: service.id, extra: extra.id, invitee: invitee.email, target: extra.id };
  }

  for (const c of CASES) {
    describe(c.name, () => {
      for (const actor of ACTORS) {
        const want = expected(c, actor);
        it(`${actor} → ${want}`, async () => {
          const f = await fixture();
          const r = await c.call(agents[actor], f);
          expect(r.status, JSON.stringify(r)).toBe(want);
        });
      }
    });
  }

  it('lists only the applications a user belongs to; global owners and administrators see all', async () => {
    const f = await fixture();
    const names = async (actor: Actor) =>
      ((await agents[actor].get('/admin/apps')).body.applications as { id: string; role: string }[]).find(
        (a) => a.id === f.app,
      )?.role;
    expect(await names('outsider')).toBeUndefined();
    expect(await names('appUser')).toBe('USER');
    expect(await names('appAdmin')).toBe('ADMINISTRATOR');
    expect(await names('appOwner')).toBe('OWNER');
    expect(await names('globalAdmin')).toBe('OWNER');
  });

  it('keeps the owner out of reach: administrators cannot touch the owner; nobody grants OWNER by invitation', async () => {
    const f = await fixture();
    const a = agents.appAdmin;
    expect((await a.put(`/admin/apps/${f.app}/members/${ids.appOwner}`, { role: 'USER' })).status).toBe(403);
    expect((await a.delete(`/admin/apps/${f.app}/members/${ids.appOwner}`)).status).toBe(409);
    expect(
      (await agents.appOwner.post(`/admin/apps/${f.app}/members`, { email: f.invitee, role: 'OWNER' }))
        .status,
    ).toBe(400);
    expect((await agents.appOwner.delete(`/admin/apps/${f.app}/members/${ids.appOwner}`)).status).toBe(409);
    // members may leave; users cannot promote themselves
    expect(
      (await agents.appUser.put(`/admin/apps/${f.app}/members/${ids.appUser}`, { role: 'ADMINISTRATOR' }))
        .status,
    ).toBe(403);
    expect((await agents.appUser.delete(`/admin/apps/${f.app}/members/${ids.appUser}`)).status).toBe(204);
    expect((await agents.appUser.get(`/admin/apps/${f.app}`)).status).toBe(404);
    await agents.appOwner.post(`/admin/apps/${f.app}/members`, {
      email: 'appUser@example.org',
      role: 'USER',
    });
    // handing over: the previous owner becomes an administrator
    expect(
      (await agents.appOwner.put(`/admin/apps/${f.app}/members/${ids.appAdmin}`, { role: 'OWNER' })).status,
    ).toBe(204);
    const members = (await agents.appUser.get(`/admin/apps/${f.app}/members`)).body.members as {
      user_id: string;
      role: string;
    }[];
    expect(members.find((m) => m.user_id === ids.appOwner)?.role).toBe('ADMINISTRATOR');
    expect(members.find((m) => m.user_id === ids.appAdmin)?.role).toBe('OWNER');
    // global administrators manage users but never the global owner
    expect((await agents.globalAdmin.post(`/admin/users/${ids.globalOwner}/password`)).status).toBe(403);
    expect(
      (await agents.globalAdmin.put(`/admin/users/${ids.globalOwner}/role`, { role: 'USER' })).status,
    ).toBe(403);
    expect((await agents.globalAdmin.delete(`/admin/users/${ids.globalOwner}`)).status).toBe(403);
    expect((await agents.globalOwner.delete(`/admin/users/${ids.globalOwner}`)).status).toBe(409);
  });
});
