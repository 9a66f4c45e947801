// Vitest global setup: builds dist/server from the current sources before any test runs, so the tests that start
// the built server (`npm start`, bin/visor, the container and cluster tests) never run a stale build; and builds the
// migrated PGlite and PostgreSQL templates the test databases are copied from (test/storage/backends.ts). Several
// lanes name this setup; the work is done once per run.
import { buildServer } from '../server/build.js';
import { buildPgliteTemplate, buildPostgresTemplate } from './storage/backends.js';

const ONCE = Symbol.for('visor.test.setup');
type WithSetup = typeof globalThis & { [ONCE]?: Promise<void> };

export default async function setup(): Promise<void> {
  const g = globalThis as WithSetup;
  g[ONCE] ??= Promise.all([buildServer(), buildPgliteTemplate(), buildPostgresTemplate()]).then(
    () => undefined,
  );
  await g[ONCE];
}
