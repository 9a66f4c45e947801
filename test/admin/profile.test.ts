// Editing your own profile through the admin API: PUT /admin/me changes the first and last name (as at
// sign-up: optional, at most 100 characters), needs a session, and GET /admin/me then answers the new name.
import { expect, it } from 'vitest';
import { describeOnOneDatabase } from '../storage/backends.js';
import { agent, buildAdminApp } from './harness.js';

// the rules above the admin repositories (their SQL runs on both databases in the other admin suites)
describeOnOneDatabase('the admin API changes your name', (get) => {
  it('renames the logged-in user, refuses an overlong name and an anonymous caller', async () => {
    const { app } = buildAdminApp(get().config, get().db);
    const me = agent(app);
    expect(
      (await me.post('/admin/signup', { email: 'ada@example.org', password: 'correct horse' })).status,
    ).toBe(201);
    const r = await me.put('/admin/me', { first_name: 'Ada', last_name: 'Lovelace' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ email: 'ada@example.org', first_name: 'Ada', last_name: 'Lovelace' });
    expect((await me.get('/admin/me')).body).toMatchObject({ first_name: 'Ada', last_name: 'Lovelace' });
    const long = await me.put('/admin/me', { first_name: 'x'.repeat(101) });
    expect(long.status).toBe(400);
    expect(long.body.code).toBe(26);
    expect((await me.get('/admin/me')).body.first_name).toBe('Ada');
    expect((await agent(app).put('/admin/me', { first_name: 'Eve' })).status).toBe(401);
  });
});
