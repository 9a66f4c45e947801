// E-mail flows against a real SMTP server (an in-process sink): address confirmation (1 h token) before the
// first log-in, password reset by e-mail (15 min token), single-use and expired links, no account discovery.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeStorage } from '../storage/backends.js';
import { agent, buildAdminApp } from './harness.js';
import { startSmtpSink, type SmtpSink } from './smtp-sink.js';

let sink: SmtpSink;
beforeAll(async () => {
  sink = await startSmtpSink();
});
afterAll(() => sink?.close());

const tokenIn = (text: string, path: string) => {
  const m = new RegExp(`https://visor\\.example/${path}\\?token=([\\w-]+)`).exec(text);
  if (!m) throw new Error(`no ${path} link in: ${text}`);
  return m[1];
};

describeStorage(
  'admin e-mail flows',
  (get) => {
    const build = () =>
      buildAdminApp(
        {
          ...get().config,
          publicUrl: 'https://visor.example',
          smtp: {
            host: '127.0.0.1',
            port: sink.port,
            secure: false,
            user: undefined,
            password: undefined,
            from: 'Visor <visor@example.org>',
          },
        },
        get().db,
      );

    it('confirms a new address by e-mail before the first log-in; the first user needs none', async () => {
      const { app, admin } = build();
      expect(admin.emailEnabled).toBe(true);
      const owner = await agent(app).post('/admin/signup', {
        email: 'owner@example.org',
        password: 'owner password',
      });
      expect(owner.body).toMatchObject({
        user: { role: 'OWNER', email_confirmed: true },
        confirmation_required: false,
      });

      const ann = agent(app);
      const r = await ann.post('/admin/signup', { email: 'ann@example.org', password: 'ann password' });
      expect(r.status).toBe(201);
      expect(r.body).toMatchObject({
        user: { role: 'USER', email_confirmed: false },
        confirmation_required: true,
      });
      expect(r.headers.get('set-cookie')).toBeNull();
      const mail = await sink.next('ann@example.org');
      expect(mail.from).toBe('visor@example.org');
      expect(mail.subject).toBe('Confirm your Visor account');
      const token = tokenIn(mail.text, 'confirm-email');
      const [t] = await get().db.query<{ s: number }>(
        `select extract(epoch from expires_at - now())::int as s from email_tokens where purpose = 'confirm'`,
      );
      expect(t.s).toBeGreaterThan(3590);
      expect(t.s).toBeLessThanOrEqual(3600);

      expect(
        (await ann.post('/admin/login', { email: 'ann@example.org', password: 'ann password' })).status,
      ).toBe(403);
      expect((await ann.post('/admin/confirm-email', { token: 'forged' })).body).toMatchObject({ code: 106 });
      expect((await ann.post('/admin/confirm-email', { token })).status).toBe(204);
      expect((await ann.post('/admin/confirm-email', { token })).status).toBe(400); // single use
      expect(
        (await ann.post('/admin/login', { email: 'ann@example.org', password: 'ann password' })).status,
      ).toBe(200);

      // an expired link is refused; a new one can be asked for
      await agent(app).post('/admin/signup', { email: 'bob@example.org', password: 'bob password' });
      const old = tokenIn((await sink.next('bob@example.org')).text, 'confirm-email');
      await get().db.query(`update email_tokens set expires_at = now() - interval '1 second'`);
      expect((await agent(app).post('/admin/confirm-email', { token: old })).status).toBe(400);
      expect(
        (await agent(app).post('/admin/confirm-email/resend', { email: 'bob@example.org' })).status,
      ).toBe(202);
      const fresh = tokenIn((await sink.next('bob@example.org')).text, 'confirm-email');
      expect((await agent(app).post('/admin/confirm-email', { token: fresh })).status).toBe(204);
    });

    it('resets a forgotten password by e-mail within 15 minutes, once, ending every session', async () => {
      const { app } = build();
      const ann = agent(app);
      await ann.post('/admin/login', { email: 'ann@example.org', password: 'ann password' });
      const before = sink.messages.length;
      // unknown addresses get the same answer and no mail
      expect((await agent(app).post('/admin/password-reset', { email: 'nobody@example.org' })).status).toBe(
        202,
      );
      expect((await agent(app).post('/admin/password-reset', { email: 'ANN@example.org' })).status).toBe(202);
      const mail = await sink.next('ann@example.org');
      expect(sink.messages.length).toBe(before + 1);
      expect(mail.subject).toBe('Reset your Visor password');
      const token = tokenIn(mail.text, 'reset-password');
      const [t] = await get().db.query<{ s: number }>(
        `select extract(epoch from expires_at - now())::int as s from email_tokens where purpose = 'reset'`,
      );
      expect(t.s).toBeGreaterThan(890);
      expect(t.s).toBeLessThanOrEqual(900);

      expect(
        (await agent(app).post('/admin/password-reset/confirm', { token, password: 'short' })).status,
      ).toBe(400);
      expect(
        (await agent(app).post('/admin/password-reset/confirm', { token, password: 'brand new pass' }))
          .status,
      ).toBe(204);
      expect(
        (await agent(app).post('/admin/password-reset/confirm', { token, password: 'brand new pass' }))
          .status,
      ).toBe(400);
      expect((await ann.get('/admin/me')).status).toBe(401);
      expect(
        (await agent(app).post('/admin/login', { email: 'ann@example.org', password: 'ann password' }))
          .status,
      ).toBe(401);
      expect(
        (await agent(app).post('/admin/login', { email: 'ann@example.org', password: 'brand new pass' }))
          .status,
      ).toBe(200);

      // a link older than 15 minutes no longer works
      await agent(app).post('/admin/password-reset', { email: 'ann@example.org' });
      const late = tokenIn((await sink.next('ann@example.org')).text, 'reset-password');
      await get().db.query(`update email_tokens set expires_at = now() - interval '1 second'`);
      expect(
        (await agent(app).post('/admin/password-reset/confirm', { token: late, password: 'another pass' }))
          .body,
      ).toMatchObject({ code: 106 });
    });
  },
  { backends: ['pglite'] },
);
