// `visor service create --type T --name N [--application A | --app ID] [--min-similarity S]`: bootstrap a face
// service without a UI, against the database the server uses (same environment), printing {"api_key": ...}.
// With --app the service goes into that existing application (see `visor app`), else into a new one.
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/open.js';
import { createAdminServices } from '../services/admin/index.js';
import { SHELL_ACTOR } from '../services/admin/roles.js';
import { createServiceRecord, SERVICE_TYPES } from '../services/keys.js';
import type { ServiceType } from '../services/types.js';

const usage = `usage: visor service create --type recognition|detection|verification --name N [--application A | --app ID] [--min-similarity S]\n`;

export const serviceCommand = {
  async run(args: string[]): Promise<number> {
    const [sub, ...rest] = args;
    if (sub !== 'create') {
      process.stderr.write(usage);
      return sub === undefined || sub === '--help' ? 0 : 2;
    }
    let values: {
      type?: string;
      name?: string;
      application?: string;
      app?: string;
      'min-similarity'?: string;
    };
    try {
      ({ values } = parseArgs({
        args: rest,
        options: {
          type: { type: 'string' },
          name: { type: 'string' },
          application: { type: 'string' },
          app: { type: 'string' },
          'min-similarity': { type: 'string' },
        },
      }));
    } catch (e) {
      process.stderr.write(`visor service: ${(e as Error).message}\n${usage}`);
      return 2;
    }
    const type = values.type as ServiceType;
    if (!SERVICE_TYPES.includes(type) || !values.name?.trim()) {
      process.stderr.write(usage);
      return 2;
    }
    const minSimilarity =
      values['min-similarity'] === undefined ? undefined : Number(values['min-similarity']);
    const config = loadConfig();
    const db = await openDatabase(config);
    try {
      if (values.app) {
        const admin = createAdminServices({ config, db });
        const svc = await admin.services.create(SHELL_ACTOR, values.app, {
          type,
          name: values.name,
          minSimilarity,
        });
        process.stdout.write(`${JSON.stringify({ api_key: svc.apiKey, id: svc.id })}\n`);
        return 0;
      }
      const svc = await createServiceRecord(db, {
        type,
        name: values.name,
        application: values.application,
        minSimilarity,
      });
      process.stdout.write(`${JSON.stringify({ api_key: svc.apiKey })}\n`);
      return 0;
    } finally {
      await db.close();
    }
  },
};
