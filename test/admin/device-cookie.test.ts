// OWASP device cookies on log-in (issue 19.3; OWASP Cheat Sheet "Slow Down Online Guessing Attacks with Device
// Cookies"): wrong passwords from unknown clients lock the account, yet the right password from a browser holding
// a genuine device cookie for that account still logs in (it is limited per device instead); a forged, tampered
// or other account's cookie gives no exemption.
import { expect, it } from 'vitest';
import { describeOnOneDatabase } from '../storage/backends.js';
import { buildAdminApp, makeUser } from './harness.js';

type App = ReturnType<typeof buildAdminApp>['app'];

async function login(app: App, ip: string, email: string, password: string, device?: string) {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-requested-with': 'visor-test',
    'x-forwarded-for': ip,
  };
  if (device !== undefined) headers.cookie = `visor_device=${device}`;
  const res = await app.request('/admin/login', {
    method: 'POST',
    headers,
    body: JSON.stringify({ email, password }),
  });
  const set = res.headers.getSetCookie().find((s) => s.startsWith('visor_device='));
  return { status: res.status, set, device: set && /^visor_device=([^;]*)/.exec(set)?.[1] };
}

/** The same cookie with one character of its signature changed. */
const tamper = (cookie: string) =>
  cookie.slice(0, -2) + (cookie.at(-2) === 'A' ? 'B' : 'A') + cookie.slice(-1);

// the rules above the admin repositories (their SQL runs on both databases in the other admin suites)
describeOnOneDatabase('log-in device cookies', (get) => {
  const build = () =>
    buildAdminApp(
      {
        ...get().config,
        trustProxy: true,
        loginMaxFailures: 5,
        loginMaxFailuresPerAddress: 100,
        loginWindow: 600,
      },
      get().db,
    );

  it('lets the owner in from a known browser while the account is locked; not without or with a bad cookie', async () => {
    const { app, admin } = build();
    await makeUser(app, admin, 'owner@example.org');
    await makeUser(app, admin, 'other@example.org');
    const known = await login(app, '10.2.0.1', 'owner@example.org', 'password-123');
    expect(known.status).toBe(200);
    expect(known.set).toMatch(/HttpOnly/i);
    expect(known.set).toMatch(/SameSite=Strict/i);
    expect(known.set).toMatch(/Path=\/admin\/login/i);
    const device = known.device!;
    expect(device.split('.')).toHaveLength(3);
    const otherAccounts = (await login(app, '10.2.0.2', 'other@example.org', 'password-123')).device!;

    // an unknown client locks the account with wrong passwords
    for (let i = 0; i < 5; i++)
      expect((await login(app, '10.2.0.66', 'owner@example.org', `guess ${i}`)).status).toBe(401);
    expect((await login(app, '10.2.0.66', 'owner@example.org', 'password-123')).status).toBe(429);
    // the right password without a device cookie is refused while locked, from any address
    expect((await login(app, '10.2.0.1', 'owner@example.org', 'password-123')).status).toBe(429);
    // forged, tampered and other accounts' cookies give no exemption
    const [who, nonce] = device.split('.');
    const forged = [
      tamper(device),
      `${who}.${nonce}.${Buffer.alloc(32).toString('base64url')}`,
      `${who}.AAAAAAAAAAAAAAAAAAAAAA.${device.split('.')[2]}`,
      otherAccounts,
      `${Buffer.from('other@example.org').toString('base64url')}.${nonce}.${device.split('.')[2]}`,
      'garbage',
      '',
    ];
    for (const bad of forged)
      expect((await login(app, '10.2.0.1', 'owner@example.org', 'password-123', bad)).status).toBe(429);
    // the genuine cookie still logs in, from its own address or another, and is renewed
    const again = await login(app, '10.2.0.1', 'owner@example.org', 'password-123', device);
    expect(again.status).toBe(200);
    expect(again.device).toBeTruthy();
    expect((await login(app, '10.2.0.9', 'owner@example.org', 'password-123', again.device)).status).toBe(
      200,
    );
    // the account stays locked for clients without a cookie (the known browser's success does not unlock it)
    expect((await login(app, '10.2.0.66', 'owner@example.org', 'password-123')).status).toBe(429);
  });

  it('limits attempts per device: 5 wrong passwords with one cookie lock that cookie only', async () => {
    const { app, admin } = build();
    await makeUser(app, admin, 'shared@example.org');
    const a = (await login(app, '10.3.0.1', 'shared@example.org', 'password-123')).device!;
    const b = (await login(app, '10.3.0.2', 'shared@example.org', 'password-123')).device!;
    for (let i = 0; i < 5; i++)
      expect((await login(app, '10.3.0.1', 'shared@example.org', `guess ${i}`, a)).status).toBe(401);
    expect((await login(app, '10.3.0.1', 'shared@example.org', 'password-123', a)).status).toBe(429);
    expect((await login(app, '10.3.0.2', 'shared@example.org', 'password-123', b)).status).toBe(200);
    // the device's wrong passwords did not count against the account
    expect((await login(app, '10.3.0.3', 'shared@example.org', 'password-123')).status).toBe(200);
  });
});
