// Log-in limits under concurrency (issue 19.3): each attempt is counted atomically in the database before its
// password is checked, so 60 parallel wrong passwords for one account get exactly the limit's worth of checks
// (401) and the rest 429, on PGlite and on the real PostgreSQL server.
import { expect, it } from 'vitest';
import { describeStorage } from '../storage/backends.js';
import { agent, buildAdminApp, makeUser } from './harness.js';

describeStorage('log-in limits under concurrency', (get) => {
  it('counts 60 parallel wrong passwords for one account exactly', async () => {
    const { app, admin } = buildAdminApp(
      {
        ...get().config,
        trustProxy: true,
        loginMaxFailures: 5,
        loginMaxFailuresPerAddress: 1000,
        loginWindow: 600,
      },
      get().db,
    );
    await makeUser(app, admin, 'target@example.org');
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        agent(app, { headers: { 'x-forwarded-for': `10.1.0.${i}` } }).post('/admin/login', {
          email: 'target@example.org',
          password: `guess ${i}`,
        }),
      ),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(55);
    const [{ n }] = await get().db.query<{ n: number }>(
      `select count(*)::int as n from login_failures where account = 'target@example.org'`,
    );
    expect(n).toBe(5);
  });
});
