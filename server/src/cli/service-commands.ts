// `visor service create --type T --name N [--application A | --app ID] [--min-similarity S] [--embedder ID]`: bootstrap a face
// service without a UI, against the database the server uses (same environment), printing {"api_key": ...}.
// With --app the service goes into that existing application (see `visor app`), else into a new one.
import { Option } from 'commander';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/open.js';
import { createAdminServices } from '../services/admin/index.js';
import { SHELL_ACTOR } from '../services/admin/roles.js';
import { checkName, minSimilarity as minSimilarityValue } from '../services/admin/validate.js';
import { createServiceRecord, SERVICE_TYPES } from '../services/keys.js';
import type { ServiceType } from '../services/types.js';
import { embedderOption } from './embedder-option.js';
import { cliCommand, usageError } from './program.js';

interface CreateOptions {
  type: ServiceType;
  name: string;
  application?: string;
  app?: string;
  minSimilarity?: string;
  embedder?: string;
}

async function create(values: CreateOptions): Promise<number> {
  const { type, name } = values;
  const minSimilarity = values.minSimilarity === undefined ? undefined : Number(values.minSimilarity);
  const config = loadConfig();
  const embedder = await embedderOption(config, values.embedder);
  const db = await openDatabase(config);
  try {
    if (values.app) {
      const admin = createAdminServices({ config, db });
      const svc = await admin.services.create(SHELL_ACTOR, values.app, {
        type,
        name: checkName(name, 'name'),
        minSimilarity: minSimilarity === undefined ? undefined : minSimilarityValue(minSimilarity),
        embedder,
      });
      process.stdout.write(`${JSON.stringify({ api_key: svc.apiKey, id: svc.id })}\n`);
      return 0;
    }
    const svc = await createServiceRecord(db, {
      type,
      name,
      application: values.application,
      minSimilarity,
      embedder,
    });
    process.stdout.write(`${JSON.stringify({ api_key: svc.apiKey })}\n`);
    return 0;
  } finally {
    await db.close();
  }
}

export const serviceCommand = cliCommand('service', (cmd, exit) => {
  cmd.description("face services, from the server's shell (same environment as the server)");
  const sub = cmd
    .command('create')
    .description('create a face service and print {"api_key"} (with --app also its "id")')
    .addOption(new Option('--type <type>', 'the service type').choices(SERVICE_TYPES).makeOptionMandatory())
    .requiredOption('--name <name>', 'the service name')
    .option('--application <name>', 'the name of a new application to create it in')
    .option('--app <id>', 'an existing application (visor app) to create it in')
    .option('--min-similarity <s>', "its minimum similarity (default: the server's)")
    .option(
      '--embedder <id>',
      'its embedder, e.g. faceapi-recognition (128-d); default faceplugin-recognition',
    );
  sub.action(async (values: CreateOptions) => {
    if (!values.name.trim()) usageError(sub, '--name must not be empty');
    exit(await create(values));
  });
});
