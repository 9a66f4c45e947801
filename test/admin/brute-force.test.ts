// Brute-force protection on log-in: failures are limited per account and per client address within a
// sliding window (429 with Retry-After, even for the right password), and the limit lifts as the window moves.
import { expect, it } from 'vitest';
import { describeStorage } from '../storage/backends.js';
import { agent, buildAdminApp, makeUser } from './harness.js';

describeStorage(
  'log-in limits',
  (get) => {
    const build = () =>
      buildAdminApp(
        {
          ...get().config,
          trustProxy: true,
          loginMaxFailures: 3,
          loginMaxFailuresPerAddress: 5,
          loginWindow: 600,
        },
        get().db,
      );
    const from = (app: ReturnType<typeof build>['app'], ip: string) =>
      agent(app, { headers: { 'x-forwarded-for': ip } });
    const login = (a: ReturnType<typeof from>, email: string, password: string) =>
      a.post('/admin/login', { email, password });

    it('locks an account after 3 failures, from any address, until the failures leave the window', async () => {
      const { app, admin } = build();
      await makeUser(app, admin, 'target@example.org');
      const attacker = from(app, '10.0.0.1');
      for (let i = 0; i < 3; i++)
        expect((await login(attacker, 'target@example.org', `guess ${i}`)).status).toBe(401);
      const locked = await login(attacker, 'target@example.org', 'password-123');
      expect(locked.status).toBe(429);
      expect(locked.body.code).toBe(105);
      const retry = Number(locked.headers.get('retry-after'));
      expect(retry).toBeGreaterThan(590);
      expect(retry).toBeLessThanOrEqual(600);
      // the owner, elsewhere, is locked too (per account), case-insensitively
      expect((await login(from(app, '10.9.9.9'), 'TARGET@example.org', 'password-123')).status).toBe(429);
      await get().db.query(`update login_failures set at = now() - interval '11 minutes'`);
      expect((await login(from(app, '10.9.9.9'), 'target@example.org', 'password-123')).status).toBe(200);
    });

    it('limits one address trying many accounts, known or not, without affecting other addresses', async () => {
      const { app, admin } = build();
      await makeUser(app, admin, 'victim@example.org');
      const sprayer = from(app, '10.0.0.2');
      for (let i = 0; i < 5; i++)
        expect((await login(sprayer, `user${i}@example.org`, 'password-123')).status).toBe(401);
      expect((await login(sprayer, 'victim@example.org', 'password-123')).status).toBe(429);
      expect((await login(from(app, '10.0.0.3'), 'victim@example.org', 'password-123')).status).toBe(200);
    });

    it('clears the account count on success', async () => {
      const { app, admin } = build();
      await makeUser(app, admin, 'typo@example.org');
      const me = from(app, '10.0.0.4');
      for (let round = 0; round < 3; round++) {
        expect((await login(me, 'typo@example.org', 'pasword-123')).status).toBe(401);
        expect((await login(me, 'typo@example.org', 'password-123')).status).toBe(200);
      }
    });
  },
  { backends: ['pglite'] },
);
