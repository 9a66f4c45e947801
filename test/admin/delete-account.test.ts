// Deleting one's own account asks for the current password again: a wrong or missing one is refused (403,
// nothing deleted), the attempts count against the log-in limits (429), the CSRF guard still applies. Changing
// the password counts its old-password checks the same way, so a stolen session is no unlimited password oracle.
import { expect, it } from 'vitest';
import { describeStorage } from '../storage/backends.js';
import { agent, buildAdminApp, makeUser } from './harness.js';

describeStorage(
  'deleting your own account',
  (get) => {
    /** The app with its owner (the first user, who cannot delete their account) and `email` as a user. */
    const build = async (email: string) => {
      const { app, admin } = buildAdminApp(
        { ...get().config, loginMaxFailures: 3, loginWindow: 600 },
        get().db,
      );
      await makeUser(app, admin, `owner-of-${email}`);
      return { app, me: await makeUser(app, admin, email) };
    };

    it('needs the current password; a wrong or missing one leaves the account', async () => {
      const { app, me } = await build('leaving@example.org');
      const path = `/admin/users/${me.user.id}`;
      const missing = await me.agent.delete(path);
      expect(missing.status).toBe(403);
      expect(missing.body).toMatchObject({ code: 102, message: 'The current password is incorrect' });
      expect((await me.agent.request('DELETE', path, { password: 'password-124' })).status).toBe(403);
      expect((await me.agent.get('/admin/me')).status).toBe(200);
      // the CSRF guard comes first, even with the right password
      const noCsrf = agent(app, { cookie: me.agent.cookie, csrf: false });
      expect((await noCsrf.request('DELETE', path, { password: 'password-123' })).status).toBe(403);
      expect((await me.agent.get('/admin/me')).status).toBe(200);
      expect((await me.agent.request('DELETE', path, { password: 'password-123' })).status).toBe(204);
      expect((await me.agent.get('/admin/me')).status).toBe(401);
    });

    it('counts wrong passwords against the log-in limits', async () => {
      const { app, me } = await build('guessed@example.org');
      const path = `/admin/users/${me.user.id}`;
      for (let i = 0; i < 3; i++)
        expect((await me.agent.request('DELETE', path, { password: `guess ${i}` })).status).toBe(403);
      const locked = await me.agent.request('DELETE', path, { password: 'password-123' });
      expect(locked.status).toBe(429);
      expect(locked.body.code).toBe(105);
      expect(
        (await agent(app).post('/admin/login', { email: 'guessed@example.org', password: 'password-123' }))
          .status,
      ).toBe(429);
      expect((await me.agent.get('/admin/me')).status).toBe(200);
    });

    it('counts wrong old passwords of a password change against the same limits', async () => {
      const { app, me } = await build('changing@example.org');
      for (let i = 0; i < 3; i++) {
        const r = await me.agent.put('/admin/me/password', {
          old_password: `guess ${i}`,
          new_password: 'new password 1',
        });
        expect(r.status).toBe(403);
        expect(r.body).toMatchObject({ code: 102, message: 'The current password is incorrect' });
      }
      const locked = await me.agent.put('/admin/me/password', {
        old_password: 'password-123',
        new_password: 'new password 1',
      });
      expect(locked.status).toBe(429);
      expect(locked.body.code).toBe(105);
      expect(
        (await agent(app).post('/admin/login', { email: 'changing@example.org', password: 'password-123' }))
          .status,
      ).toBe(429);
    });
  },
  { backends: ['pglite'] },
);
