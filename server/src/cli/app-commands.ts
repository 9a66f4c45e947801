// `visor app create|list|add-member`: application set-up from the server's shell (scripted installs).
import { parseArgs } from 'node:util';
import { AdminNotFound } from '../../../shared/errors.js';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/open.js';
import { findUserByEmail } from '../repositories/users.js';
import { createAdminServices } from '../services/admin/index.js';
import { SHELL_ACTOR } from '../services/admin/roles.js';

const usage = `usage:
  visor app create --name N --owner EMAIL     prints {"id", "name"}
  visor app list                              one JSON line per application
  visor app add-member --app ID --email E [--role ADMINISTRATOR|USER]
  (then: visor service create --app ID --type T --name N)
`;

const options = {
  name: { type: 'string' },
  owner: { type: 'string' },
  app: { type: 'string' },
  email: { type: 'string' },
  role: { type: 'string' },
} as const;

export const appCommand = {
  async run(args: string[]): Promise<number> {
    const [sub, ...rest] = args;
    let values: { [K in keyof typeof options]?: string };
    try {
      ({ values } = parseArgs({ args: rest, options }));
    } catch (e) {
      process.stderr.write(`visor app: ${(e as Error).message}\n${usage}`);
      return 2;
    }
    const missing =
      sub === 'create'
        ? !values.name || !values.owner
        : sub === 'add-member'
          ? !values.app || !values.email
          : sub !== 'list';
    if (missing) {
      process.stderr.write(usage);
      return sub === undefined || sub === '--help' ? 0 : 2;
    }
    const config = loadConfig();
    const db = await openDatabase(config);
    const admin = createAdminServices({ config, db });
    const print = (o: unknown) => process.stdout.write(`${JSON.stringify(o)}\n`);
    try {
      if (sub === 'create') {
        const found = await findUserByEmail(db, values.owner ?? '');
        if (!found) throw new AdminNotFound(`No user with e-mail ${values.owner}`);
        const { passwordHash: _, ...owner } = found;
        const app = await admin.applications.create({ ...owner, role: 'USER' }, values.name);
        print({ id: app.id, name: app.name });
      } else if (sub === 'list') {
        for (const a of await admin.applications.list(SHELL_ACTOR)) print({ id: a.id, name: a.name });
      } else {
        const m = await admin.applications.invite(
          SHELL_ACTOR,
          values.app ?? '',
          values.email,
          values.role?.toUpperCase(),
        );
        print({ app: values.app, user_id: m.userId, email: m.email, role: m.role });
      }
      return 0;
    } finally {
      admin.close();
      await db.close();
    }
  },
};
