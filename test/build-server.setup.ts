// Vitest global setup: builds dist/server from the current sources before any test runs, so the tests that start
// the built server (`npm start`, bin/visor, the container and cluster tests) never run a stale build; and builds the
// migrated PGlite and PostgreSQL templates the test databases are copied from (test/storage/backends.ts), all three
// at once. Several lanes name this setup; the work is done once per run. A build whose sources have not changed
// since the last one is kept: dist/server/.sources holds the hash of what it was built from.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildServer } from '../server/build.js';
import { buildPgliteTemplate, buildPostgresTemplate } from './storage/backends.js';
import { hashSources } from './web/build-cache.js';

const ONCE = Symbol.for('visor.test.setup');
type WithSetup = typeof globalThis & { [ONCE]?: Promise<void> };

const DIST = fileURLToPath(new URL('../dist/server/', import.meta.url));
const STAMP = join(DIST, '.sources');
/** What the server bundles are built from: the bundler follows imports within server/ and shared/ only. */
const SERVER_INPUTS = [
  'server',
  'shared',
  'package.json',
  'tsconfig.json',
  'node_modules/esbuild/package.json',
];

/** Builds dist/server unless it was built from these very sources. */
async function buildServerIfChanged(): Promise<void> {
  const sources = hashSources(SERVER_INPUTS, 'dist/server');
  if (existsSync(join(DIST, 'main.js')) && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === sources)
    return;
  // hashed before the build and written into it before the swap, so the record always describes the build it sits
  // in (a source changed during the build only makes the next run build again)
  await buildServer({ '.sources': sources });
}

export default async function setup(): Promise<void> {
  const g = globalThis as WithSetup;
  g[ONCE] ??= Promise.all([buildServerIfChanged(), buildPgliteTemplate(), buildPostgresTemplate()]).then(
    () => undefined,
  );
  await g[ONCE];
}
