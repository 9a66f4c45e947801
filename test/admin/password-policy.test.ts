// The password policy (shared/password-policy.ts, OWASP ASVS L1 2.1.1 and 2.1.7): 8 to 256 characters and
// none of the most common passwords, enforced by the admin API on sign-up and shown by the web forms.
import { describe, expect, it } from 'vitest';
import { MIN_PASSWORD, passwordProblem } from '../../shared/password-policy.js';
import { describeOnOneDatabase } from '../storage/backends.js';
import { agent, buildAdminApp } from './harness.js';

describe('passwordProblem', () => {
  it('accepts a long enough uncommon password', () => {
    expect(passwordProblem('correct horse battery')).toBeUndefined();
    expect(passwordProblem('x'.repeat(7) + 'y')).toBeUndefined();
  });

  it('refuses short, overlong, common and one-character passwords', () => {
    expect(passwordProblem('x'.repeat(MIN_PASSWORD - 1))).toMatch(/8 to 256 characters/);
    expect(passwordProblem('x'.repeat(257) + 'y')).toMatch(/8 to 256 characters/);
    for (const common of ['password', 'Password1', 'PASSWORD', '12345678', 'qwertyuiop', 'iloveyou'])
      expect(passwordProblem(common), common).toMatch(/most common/);
    expect(passwordProblem('zzzzzzzzzz')).toMatch(/most common/);
  });
});

// the rules above the admin repositories (their SQL runs on both databases in the other admin suites)
describeOnOneDatabase('the admin API refuses common passwords', (get) => {
  it('answers 400 (code 26) with the reason to a sign-up with "password"', async () => {
    const { app } = buildAdminApp(get().config, get().db);
    const r = await agent(app).post('/admin/signup', { email: 'owner@example.org', password: 'password' });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({
      code: 26,
      message: 'This password is one of the most common ones; choose another',
    });
    const ok = await agent(app).post('/admin/signup', {
      email: 'owner@example.org',
      password: 'correct horse',
    });
    expect(ok.status).toBe(201);
  });
});
