// The administration services as the shell commands (`visor user`, `visor app`) use them: over the database of
// the server's environment, opened for one command and closed after it.
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/open.js';
import type { Db } from '../db/types.js';
import { createAdminServices, type AdminServices } from '../services/admin/index.js';

/** Prints one JSON line on stdout. */
export const print = (o: unknown) => process.stdout.write(`${JSON.stringify(o)}\n`);

/** Runs `fn` with the administration services, then closes them and the database; resolves to exit code 0. */
export async function withAdmin(fn: (admin: AdminServices, db: Db) => Promise<void>): Promise<number> {
  const config = loadConfig();
  const db = await openDatabase(config);
  const admin = createAdminServices({ config, db });
  try {
    await fn(admin, db);
    return 0;
  } finally {
    admin.close();
    await db.close();
  }
}
