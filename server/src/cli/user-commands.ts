// `visor user create|list|reset-password`: user administration from the server's shell, against the database
// the server uses (same environment). Works without e-mail: the way back in for a locked-out owner.
import { SHELL_ACTOR } from '../services/admin/roles.js';
import { checkEmail, newRole, optionalName, optionalPassword } from '../services/admin/validate.js';
import { print, withAdmin } from './admin-shell.js';
import { cliCommand } from './program.js';

interface UserOptions {
  email: string;
  password?: string;
  role?: string;
  firstName?: string;
  lastName?: string;
}

export const userCommand = cliCommand('user', (cmd, exit) => {
  cmd.description(
    "users, from the server's shell (works without e-mail: the way back in for a locked-out owner)",
  );
  cmd
    .command('create')
    .description(
      'create a user; the first becomes the global OWNER; without --password one is generated and printed',
    )
    .requiredOption('--email <e>', 'e-mail address')
    .option('--password <p>', 'password (default: generated and printed)')
    .option('--role <role>', 'ADMINISTRATOR or USER')
    .option('--first-name <f>', 'first name')
    .option('--last-name <l>', 'last name')
    .action(async (values: UserOptions) => {
      const code = await withAdmin(async (admin) => {
        // checked by the admin API's rules, in its order
        const role = newRole(values.role?.toUpperCase());
        const password = optionalPassword(values.password);
        const r = await admin.users.createUser(undefined, {
          role,
          password,
          email: checkEmail(values.email),
          firstName: optionalName(values.firstName, 'first_name'),
          lastName: optionalName(values.lastName, 'last_name'),
        });
        print({
          id: r.user.id,
          email: r.user.email,
          role: r.user.role,
          ...(values.password ? {} : { password: r.password }),
        });
      });
      exit(code);
    });
  cmd
    .command('list')
    .description('one JSON line per user')
    .action(async () => {
      const code = await withAdmin(async (admin) => {
        for (const u of await admin.users.listUsers(SHELL_ACTOR))
          print({ id: u.id, email: u.email, role: u.role, email_confirmed: u.emailConfirmed });
      });
      exit(code);
    });
  cmd
    .command('reset-password')
    .description("set --password, or a generated password that is printed; ends the user's sessions")
    .requiredOption('--email <e>', 'e-mail address')
    .option('--password <p>', 'the new password (default: generated and printed)')
    .action(async (values: Pick<UserOptions, 'email' | 'password'>) => {
      const code = await withAdmin(async (admin) => {
        const r = await admin.users.resetPasswordByEmail(values.email, values.password);
        print({ email: r.user.email, ...(values.password ? {} : { password: r.password }) });
      });
      exit(code);
    });
});
