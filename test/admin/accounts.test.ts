// Accounts end to end through the admin API: sign-up (first user = owner), session cookie flags, log-out,
// password change, CSRF guard, and without e-mail: owner/administrator reset of another user's password.
import { expect, it } from 'vitest';
import { describeStorage } from '../storage/backends.js';
import { agent, buildAdminApp, makeUser } from './harness.js';

describeStorage(
  'admin accounts without e-mail',
  (get) => {
    it('signs up the first user as the confirmed global owner, later ones as users, logged in at once', async () => {
      const { app, admin } = buildAdminApp(get().config, get().db);
      expect((await agent(app).get('/admin/settings')).body).toEqual({
        email_enabled: false,
        signup_enabled: true,
      });
      const first = agent(app);
      const r1 = await first.post('/admin/signup', {
        email: 'Owner@Example.org',
        password: 'correct horse',
        first_name: 'Ada',
      });
      expect(r1.status).toBe(201);
      expect(r1.body).toMatchObject({
        user: { email: 'Owner@Example.org', role: 'OWNER', email_confirmed: true, first_name: 'Ada' },
        confirmation_required: false,
      });
      const cookie = r1.headers.get('set-cookie') ?? '';
      expect(cookie).toMatch(/^visor_session=[\w-]{43};/);
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Lax/);
      expect(cookie).toMatch(/Path=\/admin/);
      expect(cookie).not.toMatch(/Secure/);
      expect((await first.get('/admin/me')).body).toMatchObject({
        email: 'Owner@Example.org',
        role: 'OWNER',
      });

      const second = agent(app);
      const r2 = await second.post('/admin/signup', { email: 'user@example.org', password: 'another one' });
      expect(r2.body.user).toMatchObject({ role: 'USER', email_confirmed: true });
      expect((await second.get('/admin/me')).status).toBe(200);
      expect(
        (await agent(app).post('/admin/signup', { email: 'USER@example.org', password: 'another one' }))
          .status,
      ).toBe(409);
      expect(
        (await agent(app).post('/admin/signup', { email: 'x@example.org', password: 'short' })).status,
      ).toBe(400);
      expect(
        (await agent(app).post('/admin/signup', { email: 'not-an-email', password: 'long enough' })).status,
      ).toBe(400);

      // the password is stored as an Argon2id hash
      const [row] = await get().db.query<{ h: string }>(
        `select password_hash as h from users where email = 'user@example.org'`,
      );
      expect(row.h).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);

      // log out ends the session on the server, not just the cookie
      const stolen = second.cookie;
      expect((await second.post('/admin/logout')).status).toBe(204);
      expect((await second.get('/admin/me')).status).toBe(401);
      expect((await agent(app, { cookie: stolen }).get('/admin/me')).status).toBe(401);

      expect(
        (await second.post('/admin/login', { email: 'user@example.org', password: 'wrong password' })).body,
      ).toMatchObject({ code: 101 });
      const ok = await second.post('/admin/login', { email: 'USER@example.org', password: 'another one' });
      expect(ok.status).toBe(200);
      expect(ok.body.user.email).toBe('user@example.org');
      await admin.accounts.logout('unused');
    });

    it('changes a password: needs the old one, ends the other sessions, keeps this one', async () => {
      const { app, admin } = buildAdminApp(get().config, get().db);
      const { agent: me } = await makeUser(app, admin, 'changer@example.org');
      const other = agent(app);
      expect(
        (await other.post('/admin/login', { email: 'changer@example.org', password: 'password-123' })).status,
      ).toBe(200);
      expect(
        (await me.put('/admin/me/password', { old_password: 'nope', new_password: 'new password 1' })).status,
      ).toBe(403);
      expect(
        (await me.put('/admin/me/password', { old_password: 'password-123', new_password: 'x' })).status,
      ).toBe(400);
      expect(
        (await me.put('/admin/me/password', { old_password: 'password-123', new_password: 'new password 1' }))
          .status,
      ).toBe(204);
      expect((await me.get('/admin/me')).status).toBe(200);
      expect((await other.get('/admin/me')).status).toBe(401);
      expect(
        (await agent(app).post('/admin/login', { email: 'changer@example.org', password: 'password-123' }))
          .status,
      ).toBe(401);
      expect(
        (await agent(app).post('/admin/login', { email: 'changer@example.org', password: 'new password 1' }))
          .status,
      ).toBe(200);
    });

    it('lets the owner and administrators reset another password without e-mail; never the owner by an administrator', async () => {
      const { app, admin } = buildAdminApp(get().config, get().db);
      const [ownerRow] = await get().db.query<{ id: string }>(`select id from users where role = 'OWNER'`);
      const ownerAgent = agent(app, {
        cookie: `visor_session=${await admin.accounts.openSession(ownerRow.id)}`,
      });
      const victim = await makeUser(app, admin, 'forgetful@example.org');
      const boss = await makeUser(app, admin, 'boss@example.org', 'ADMINISTRATOR');

      expect(
        (await agent(app).post('/admin/password-reset', { email: 'forgetful@example.org' })).body,
      ).toMatchObject({ code: 107 });
      const generated = await ownerAgent.post(`/admin/users/${victim.user.id}/password`);
      expect(generated.status).toBe(200);
      expect(generated.body.password).toMatch(/^[\w-]{20}$/);
      expect((await victim.agent.get('/admin/me')).status).toBe(401); // sessions ended
      expect(
        (
          await agent(app).post('/admin/login', {
            email: 'forgetful@example.org',
            password: generated.body.password,
          })
        ).status,
      ).toBe(200);

      expect(
        (await boss.agent.post(`/admin/users/${victim.user.id}/password`, { password: 'chosen by boss' }))
          .body,
      ).toEqual({});
      expect(
        (
          await agent(app).post('/admin/login', {
            email: 'forgetful@example.org',
            password: 'chosen by boss',
          })
        ).status,
      ).toBe(200);
      expect((await boss.agent.post(`/admin/users/${ownerRow.id}/password`)).status).toBe(403);
      expect((await victim.agent.post(`/admin/users/${boss.user.id}/password`)).status).toBe(401);
    });

    it('refuses state-changing requests without the CSRF header or from another site', async () => {
      const { app, admin } = buildAdminApp(get().config, get().db);
      const { agent: me } = await makeUser(app, admin, 'csrf@example.org');
      const bare = agent(app, { cookie: me.cookie, csrf: false });
      const r = await bare.post('/admin/apps', { name: 'Forged' });
      expect(r.status).toBe(403);
      expect(r.body).toEqual({
        message: 'State-changing requests need the x-requested-with header',
        code: 102,
      });
      expect(
        (await bare.post('/admin/login', { email: 'csrf@example.org', password: 'password-123' })).status,
      ).toBe(403);
      expect((await bare.get('/admin/me')).status).toBe(200);
      const crossSite = agent(app, { cookie: me.cookie, headers: { 'sec-fetch-site': 'cross-site' } });
      expect((await crossSite.post('/admin/apps', { name: 'Forged' })).status).toBe(403);
      expect((await me.post('/admin/apps', { name: 'Real' })).status).toBe(201);
    });

    it('marks the cookie Secure over HTTPS (or when configured) and honours SIGNUP_ENABLED=false', async () => {
      const { app } = buildAdminApp(get().config, get().db);
      const res = await app.request('https://visor.example/admin/login', {
        method: 'POST',
        headers: { 'x-requested-with': 'x', 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'csrf@example.org', password: 'password-123' }),
      });
      expect(res.headers.get('set-cookie')).toMatch(/; Secure/);
      const forced = buildAdminApp(
        { ...get().config, cookieSecure: true, signupEnabled: false },
        get().db,
      ).app;
      const r = await agent(forced).post('/admin/login', {
        email: 'csrf@example.org',
        password: 'password-123',
      });
      expect(r.headers.get('set-cookie')).toMatch(/; Secure/);
      expect(
        (await agent(forced).post('/admin/signup', { email: 'late@example.org', password: 'password-123' }))
          .status,
      ).toBe(403);
    });

    it('hands the applications of a deleted user to their longest-standing administrator', async () => {
      const { app, admin } = buildAdminApp(get().config, get().db);
      const leaver = await makeUser(app, admin, 'leaver@example.org');
      const deputy = await makeUser(app, admin, 'deputy@example.org');
      const helper = await makeUser(app, admin, 'helper@example.org');
      const appId = (await leaver.agent.post('/admin/apps', { name: 'Handed over' })).body.id as string;
      await leaver.agent.post(`/admin/apps/${appId}/members`, { email: 'helper@example.org', role: 'USER' });
      await leaver.agent.post(`/admin/apps/${appId}/members`, {
        email: 'deputy@example.org',
        role: 'ADMINISTRATOR',
      });
      expect(
        (await leaver.agent.request('DELETE', `/admin/users/${leaver.user.id}`, { password: 'password-123' }))
          .status,
      ).toBe(204);
      expect((await leaver.agent.get('/admin/me')).status).toBe(401);
      expect((await deputy.agent.get(`/admin/apps/${appId}`)).body.role).toBe('OWNER');
      expect((await helper.agent.get(`/admin/apps/${appId}`)).body.role).toBe('USER');
    });
  },
  { backends: ['pglite'] },
);
