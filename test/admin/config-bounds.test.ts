// Config values bounded to what the cookie and the database accept (issue 19.6): a huge SESSION_TTL or
// LOGIN_WINDOW fails the check at start, naming the bound, instead of every sign-up and log-in answering 500
// "interval out of range" (after the first sign-up had already created its user row); the bounds themselves work.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, MAX_LOGIN_WINDOW, MAX_SESSION_TTL } from '../../server/src/config.js';
import { describeStorage } from '../storage/backends.js';
import { agent, buildAdminApp } from './harness.js';

describe('loadConfig bounds', () => {
  it('refuses a SESSION_TTL and a LOGIN_WINDOW beyond their bounds, naming both', () => {
    let err: unknown;
    try {
      loadConfig({ SESSION_TTL: '9999999999999', LOGIN_WINDOW: String(MAX_LOGIN_WINDOW + 1) });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).problems).toEqual([
      `SESSION_TTL=9999999999999: expected an integer between 60 and ${MAX_SESSION_TTL}`,
      `LOGIN_WINDOW=${MAX_LOGIN_WINDOW + 1}: expected an integer between 1 and ${MAX_LOGIN_WINDOW}`,
    ]);
  });

  it('accepts the bounds themselves', () => {
    const config = loadConfig({
      SESSION_TTL: String(MAX_SESSION_TTL),
      LOGIN_WINDOW: String(MAX_LOGIN_WINDOW),
    });
    expect(config).toMatchObject({ sessionTtl: MAX_SESSION_TTL, loginWindow: MAX_LOGIN_WINDOW });
  });

  it('bounds PGVECTOR_EF_SEARCH to what pgvector accepts (1–1000), default 100', () => {
    expect(loadConfig({}).pgvectorEfSearch).toBe(100);
    expect(loadConfig({ PGVECTOR_EF_SEARCH: '1000' }).pgvectorEfSearch).toBe(1000);
    expect(() => loadConfig({ PGVECTOR_EF_SEARCH: '1001' })).toThrow(
      /PGVECTOR_EF_SEARCH=1001: expected an integer between 1 and 1000/,
    );
  });
});

describeStorage(
  'sign-up and log-in at the largest SESSION_TTL and LOGIN_WINDOW',
  (get) => {
    it('signs up, fails and logs in without a server error', async () => {
      const config = { ...get().config, sessionTtl: MAX_SESSION_TTL, loginWindow: MAX_LOGIN_WINDOW };
      const { app } = buildAdminApp(config, get().db);
      const owner = agent(app);
      const signup = await owner.post('/admin/signup', {
        email: 'owner@example.org',
        password: 'password-123',
      });
      expect(signup.status).toBe(201);
      const wrong = await agent(app).post('/admin/login', {
        email: 'owner@example.org',
        password: 'nope-nope-1',
      });
      expect(wrong.status).toBe(401);
      const right = await agent(app).post('/admin/login', {
        email: 'owner@example.org',
        password: 'password-123',
      });
      expect(right.status).toBe(200);
      expect(right.headers.get('set-cookie')).toMatch(new RegExp(`Max-Age=${MAX_SESSION_TTL}`, 'i'));
    });
  },
  { backends: ['pglite'] },
);
