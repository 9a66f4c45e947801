// The caller's own account: sign-up, log-in/out, profile, password change, e-mail confirmation and reset
// (contracts/admin/auth.ts).
import * as api from '../../contracts/admin/auth.js';
import { contractApp, openapiJson } from '../../http/contract.js';
import {
  clearSessionCookie,
  clientAddress,
  deviceCookie,
  requireUser,
  setDeviceCookie,
  setSessionCookie,
} from '../../http/session.js';
import { DEVICE_COOKIE_TTL } from '../../services/admin/device-cookies.js';
import type { AdminEnv, AdminRouteDeps } from './deps.js';
import { userJson } from './views.js';

export function authRoutes({ config, admin }: AdminRouteDeps) {
  const { accounts } = admin;
  const address = (c: Parameters<typeof clientAddress>[0]) => clientAddress(c, config.trustProxy);
  const app = contractApp<AdminEnv>();
  app.openapi(api.settings, (c) =>
    c.json({ email_enabled: admin.emailEnabled, signup_enabled: admin.signupEnabled }, 200),
  );
  openapiJson(app, api.signUp, async (c) => {
    const b = c.req.valid('json');
    const r = await accounts.signUp({
      email: b.email,
      password: b.password,
      firstName: b.first_name,
      lastName: b.last_name,
    });
    if (r.session) setSessionCookie(c, r.session, config);
    return c.json({ user: userJson(r.user), confirmation_required: r.confirmationRequired }, 201);
  });
  openapiJson(app, api.login, async (c) => {
    const b = c.req.valid('json');
    const r = await accounts.login(b.email, b.password, address(c), deviceCookie(c));
    setSessionCookie(c, r.session, config);
    setDeviceCookie(c, r.device, DEVICE_COOKIE_TTL, config);
    return c.json({ user: userJson(r.user) }, 200);
  });
  app.openapi(api.logout, async (c) => {
    const session = c.get('session');
    if (session) await accounts.logout(session);
    clearSessionCookie(c);
    return c.body(null, 204);
  });
  app.openapi(api.me, (c) => c.json(userJson(requireUser(c)), 200));
  openapiJson(app, api.updateMe, async (c) => {
    const b = c.req.valid('json');
    const user = await accounts.updateProfile(requireUser(c), {
      firstName: b.first_name,
      lastName: b.last_name,
    });
    return c.json(userJson(user), 200);
  });
  openapiJson(app, api.changePassword, async (c) => {
    const b = c.req.valid('json');
    await accounts.changePassword(
      requireUser(c),
      c.get('session') ?? '',
      b.old_password,
      b.new_password,
      address(c),
    );
    return c.body(null, 204);
  });
  openapiJson(app, api.confirmEmail, async (c) => {
    await accounts.confirmEmail(c.req.valid('json').token);
    return c.body(null, 204);
  });
  openapiJson(app, api.resendConfirmation, async (c) => {
    await accounts.resendConfirmation(c.req.valid('json').email, address(c));
    return c.body(null, 202);
  });
  openapiJson(app, api.requestPasswordReset, async (c) => {
    await accounts.requestPasswordReset(c.req.valid('json').email, address(c));
    return c.body(null, 202);
  });
  openapiJson(app, api.resetPassword, async (c) => {
    const b = c.req.valid('json');
    await accounts.resetPasswordWithToken(b.token, b.password);
    return c.body(null, 204);
  });
  return app;
}
