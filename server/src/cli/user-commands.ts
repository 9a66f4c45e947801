// `visor user create|list|reset-password`: user administration from the server's shell, against the database
// the server uses (same environment). Works without e-mail: the way back in for a locked-out owner.
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/open.js';
import { createAdminServices } from '../services/admin/index.js';
import { SHELL_ACTOR } from '../services/admin/roles.js';

const usage = `usage:
  visor user create --email E [--password P] [--role ADMINISTRATOR|USER] [--first-name F] [--last-name L]
      the first user becomes the global OWNER; without --password one is generated and printed
  visor user list
  visor user reset-password --email E [--password P]
      sets P, or a generated password that is printed; ends the user's sessions
`;

const options = {
  email: { type: 'string' },
  password: { type: 'string' },
  role: { type: 'string' },
  'first-name': { type: 'string' },
  'last-name': { type: 'string' },
} as const;

export const userCommand = {
  async run(args: string[]): Promise<number> {
    const [sub, ...rest] = args;
    if (!['create', 'list', 'reset-password'].includes(sub ?? '')) {
      process.stderr.write(usage);
      return sub === undefined || sub === '--help' ? 0 : 2;
    }
    let values: { [K in keyof typeof options]?: string };
    try {
      ({ values } = parseArgs({ args: rest, options }));
    } catch (e) {
      process.stderr.write(`visor user: ${(e as Error).message}\n${usage}`);
      return 2;
    }
    if (sub !== 'list' && !values.email) {
      process.stderr.write(`visor user ${sub}: --email is required\n`);
      return 2;
    }
    const config = loadConfig();
    const db = await openDatabase(config);
    const admin = createAdminServices({ config, db });
    const print = (o: unknown) => process.stdout.write(`${JSON.stringify(o)}\n`);
    try {
      switch (sub) {
        case 'create': {
          const r = await admin.users.createUser(undefined, {
            email: values.email,
            password: values.password,
            role: values.role?.toUpperCase(),
            firstName: values['first-name'],
            lastName: values['last-name'],
          });
          print({
            id: r.user.id,
            email: r.user.email,
            role: r.user.role,
            ...(values.password ? {} : { password: r.password }),
          });
          return 0;
        }
        case 'list':
          for (const u of await admin.users.listUsers(SHELL_ACTOR))
            print({ id: u.id, email: u.email, role: u.role, email_confirmed: u.emailConfirmed });
          return 0;
        default: {
          const r = await admin.users.resetPasswordByEmail(values.email ?? '', values.password);
          print({ email: r.user.email, ...(values.password ? {} : { password: r.password }) });
          return 0;
        }
      }
    } finally {
      admin.close();
      await db.close();
    }
  },
};
