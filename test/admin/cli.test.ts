// The shell commands: `visor user create|list|reset-password` (the way back in without e-mail) and
// `visor app create|list|add-member` + `visor service create --app`, against the server's database.
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { appCommand } from '../../server/src/cli/app-commands.js';
import { serviceCommand } from '../../server/src/cli/service-commands.js';
import { userCommand } from '../../server/src/cli/user-commands.js';
import { describeStorage } from '../storage/backends.js';
import { agent, buildAdminApp } from './harness.js';

/** Runs a command with the suite's database in the environment; returns exit code and stdout JSON lines. */
async function run(cmd: { run(a: string[]): Promise<number> }, args: string[]) {
  const out: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out.push(String(chunk));
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    const code = await cmd.run(args);
    return {
      code,
      lines: out
        .join('')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, string>),
    };
  } finally {
    spy.mockRestore();
    err.mockRestore();
  }
}

describeStorage(
  'admin CLI',
  (get) => {
    const saved = { ...process.env };
    beforeAll(() => {
      process.env.DATABASE_URL = get().config.databaseUrl;
      process.env.VISOR_DATA_DIR = get().config.dataDir;
    });
    afterAll(() => {
      for (const k of ['DATABASE_URL', 'VISOR_DATA_DIR']) if (saved[k] === undefined) delete process.env[k];
    });

    it('creates the owner, resets a password from the shell (generated or given), and sets up an application', async () => {
      const login = (email: string, password: string) =>
        agent(buildAdminApp(get().config, get().db).app).post('/admin/login', { email, password });
      const created = await run(userCommand, ['create', '--email', 'root@example.org']);
      expect(created.code).toBe(0);
      expect(created.lines[0]).toMatchObject({ email: 'root@example.org', role: 'OWNER' });
      expect((await login('root@example.org', created.lines[0].password)).status).toBe(200);

      const reset = await run(userCommand, ['reset-password', '--email', 'ROOT@example.org']);
      expect(reset.code).toBe(0);
      expect(reset.lines[0].password).toMatch(/^[\w-]{20}$/);
      expect((await login('root@example.org', created.lines[0].password)).status).toBe(401);
      expect((await login('root@example.org', reset.lines[0].password)).status).toBe(200);
      const chosen = await run(userCommand, [
        'reset-password',
        '--email',
        'root@example.org',
        '--password',
        'typed in shell',
      ]);
      expect(chosen.lines).toEqual([{ email: 'root@example.org' }]);
      expect((await login('root@example.org', 'typed in shell')).status).toBe(200);
      await expect(run(userCommand, ['reset-password', '--email', 'nobody@example.org'])).rejects.toThrow(
        'No user',
      );
      expect((await run(userCommand, ['reset-password'])).code).toBe(2);

      await run(userCommand, [
        'create',
        '--email',
        'dev@example.org',
        '--password',
        'dev password',
        '--role',
        'user',
      ]);
      expect((await run(userCommand, ['list'])).lines.map((u) => [u.email, u.role])).toEqual([
        ['root@example.org', 'OWNER'],
        ['dev@example.org', 'USER'],
      ]);
      const app = (await run(appCommand, ['create', '--name', 'Shop', '--owner', 'dev@example.org']))
        .lines[0];
      expect(app.name).toBe('Shop');
      const member = await run(appCommand, [
        'add-member',
        '--app',
        app.id,
        '--email',
        'root@example.org',
        '--role',
        'administrator',
      ]);
      expect(member.lines[0]).toMatchObject({ email: 'root@example.org', role: 'ADMINISTRATOR' });
      const svc = await run(serviceCommand, [
        'create',
        '--app',
        app.id,
        '--type',
        'recognition',
        '--name',
        'Till',
      ]);
      expect(svc.lines[0].api_key).toMatch(/^[0-9a-f-]{36}$/);
      expect((await run(appCommand, ['list'])).lines).toEqual([{ id: app.id, name: 'Shop' }]);

      const dev = agent(buildAdminApp(get().config, get().db).app);
      await dev.post('/admin/login', { email: 'dev@example.org', password: 'dev password' });
      const services = (await dev.get(`/admin/apps/${app.id}/services`)).body.services;
      expect(services).toMatchObject([{ name: 'Till', type: 'RECOGNITION', api_key: svc.lines[0].api_key }]);
    });
  },
  { backends: ['postgres'] },
);
