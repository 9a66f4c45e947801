// The caller's own account: sign-up, log-in/out, profile, password change, e-mail confirmation and reset.
import { Hono } from 'hono';
import { readJsonObject } from '../../http/json.js';
import { DEVICE_COOKIE_TTL } from '../../services/admin/device-cookies.js';
import {
  clearSessionCookie,
  clientAddress,
  deviceCookie,
  requireUser,
  setDeviceCookie,
  setSessionCookie,
} from '../../http/session.js';
import type { AdminEnv, AdminRouteDeps } from './deps.js';
import { userJson } from './views.js';

export function authRoutes({ config, admin }: AdminRouteDeps) {
  const { accounts } = admin;
  const address = (c: Parameters<typeof clientAddress>[0]) => clientAddress(c, config.trustProxy);
  return new Hono<AdminEnv>()
    .get('/settings', (c) =>
      c.json({ email_enabled: admin.emailEnabled, signup_enabled: admin.signupEnabled }),
    )
    .post('/signup', async (c) => {
      const b = await readJsonObject(c);
      const r = await accounts.signUp({
        email: b.email,
        password: b.password,
        firstName: b.first_name,
        lastName: b.last_name,
      });
      if (r.session) setSessionCookie(c, r.session, config);
      return c.json({ user: userJson(r.user), confirmation_required: r.confirmationRequired }, 201);
    })
    .post('/login', async (c) => {
      const b = await readJsonObject(c);
      const r = await accounts.login(b.email, b.password, address(c), deviceCookie(c));
      setSessionCookie(c, r.session, config);
      setDeviceCookie(c, r.device, DEVICE_COOKIE_TTL, config);
      return c.json({ user: userJson(r.user) });
    })
    .post('/logout', async (c) => {
      const session = c.get('session');
      if (session) await accounts.logout(session);
      clearSessionCookie(c);
      return c.body(null, 204);
    })
    .get('/me', (c) => c.json(userJson(requireUser(c))))
    .put('/me', async (c) => {
      const b = await readJsonObject(c);
      const user = await accounts.updateProfile(requireUser(c), {
        firstName: b.first_name,
        lastName: b.last_name,
      });
      return c.json(userJson(user));
    })
    .put('/me/password', async (c) => {
      const user = requireUser(c);
      const b = await readJsonObject(c);
      await accounts.changePassword(user, c.get('session') ?? '', b.old_password, b.new_password);
      return c.body(null, 204);
    })
    .post('/confirm-email', async (c) => {
      await accounts.confirmEmail((await readJsonObject(c)).token);
      return c.body(null, 204);
    })
    .post('/confirm-email/resend', async (c) => {
      await accounts.resendConfirmation((await readJsonObject(c)).email, address(c));
      return c.body(null, 202);
    })
    .post('/password-reset', async (c) => {
      await accounts.requestPasswordReset((await readJsonObject(c)).email, address(c));
      return c.body(null, 202);
    })
    .post('/password-reset/confirm', async (c) => {
      const b = await readJsonObject(c);
      await accounts.resetPasswordWithToken(b.token, b.password);
      return c.body(null, 204);
    });
}
