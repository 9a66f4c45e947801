// `visor app create|list|add-member`: application set-up from the server's shell (scripted installs).
import { AdminNotFound } from '../../../shared/errors.js';
import { findUserByEmail } from '../repositories/users.js';
import { SHELL_ACTOR } from '../services/admin/roles.js';
import { checkEmail, checkName, newRole } from '../services/admin/validate.js';
import { print, withAdmin } from './admin-shell.js';
import { cliCommand } from './program.js';

export const appCommand = cliCommand('app', (cmd, exit) => {
  cmd
    .description("applications and members, from the server's shell (scripted installs)")
    .addHelpText('after', '\nthen: visor service create --app ID --type T --name N');
  cmd
    .command('create')
    .description('create an application owned by an existing user; prints {"id", "name"}')
    .requiredOption('--name <n>', 'application name')
    .requiredOption('--owner <email>', 'e-mail of its owner')
    .action(async (values: { name: string; owner: string }) => {
      const code = await withAdmin(async (admin, db) => {
        const found = await findUserByEmail(db, values.owner);
        if (!found) throw new AdminNotFound(`No user with e-mail ${values.owner}`);
        const { passwordHash: _, ...owner } = found;
        const app = await admin.applications.create(
          { ...owner, role: 'USER' },
          checkName(values.name, 'name'),
        );
        print({ id: app.id, name: app.name });
      });
      exit(code);
    });
  cmd
    .command('list')
    .description('one JSON line per application')
    .action(async () => {
      const code = await withAdmin(async (admin) => {
        for (const a of await admin.applications.list(SHELL_ACTOR)) print({ id: a.id, name: a.name });
      });
      exit(code);
    });
  cmd
    .command('add-member')
    .description('add an existing user to an application')
    .requiredOption('--app <id>', 'the application')
    .requiredOption('--email <e>', 'e-mail of the user')
    .option('--role <role>', 'ADMINISTRATOR or USER (default USER)')
    .action(async (values: { app: string; email: string; role?: string }) => {
      const code = await withAdmin(async (admin) => {
        const role = newRole(values.role?.toUpperCase());
        const m = await admin.applications.invite(SHELL_ACTOR, values.app, checkEmail(values.email), role);
        print({ app: values.app, user_id: m.userId, email: m.email, role: m.role });
      });
      exit(code);
    });
});
