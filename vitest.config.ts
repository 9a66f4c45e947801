// Test runner configuration: four lanes (vitest projects). `npm test` runs them all; `npm run test:<lane>` one.
//   unit         pure maths and small modules: no database, no models, no server build, no browser (seconds)
//   integration  databases (PGlite and PostgreSQL), the HTTP API, the admin app, the pool, the built server
//   models       real ONNX/tfjs models on real photos: engine, parity, evaluation
//   browser      real Chromium (playwright-core) against the built app and server
// Long timeouts because tests run real models on real photos.
import { defineConfig } from 'vitest/config';

const UNIT = [
  'test/cycles/**/*.test.ts',
  'test/shared/**/*.test.ts',
  'test/search/kernels.test.ts',
  'test/engine/maths.test.ts',
  'test/eval/boxes.test.ts',
  'test/eval/noses.test.ts',
  'test/image/bmp.test.ts',
  'test/storage/search-index.test.ts',
  'test/browser/backend-choice.test.ts',
  'test/browser/sync-protocol.test.ts',
  'test/web/lib.test.ts',
  'test/web/service-nav.test.ts',
  'test/web/serve.test.ts',
  'test/web/build-cache.test.ts',
  'test/pool/metrics.test.ts',
  'test/pool/metrics-access.test.ts',
  'shared/**/*.test.ts',
];
const MODELS = [
  'test/models/**/*.test.ts',
  'test/engine/**/*.test.ts',
  'test/eval/**/*.test.ts',
  'models/**/*.test.ts',
];
const BROWSER = ['test/browser/**/*.test.ts', 'test/web/app.test.ts'];
/** Everything else is integration, so a new test file always lands in some lane. */
const ALL = ['test/**/*.test.ts', 'shared/**/*.test.ts', 'server/**/*.test.ts', 'models/**/*.test.ts'];
const NOT_UNIT = ['**/node_modules/**', ...UNIT];
/** Builds dist/server and the migrated PGlite template once per run, whichever lanes run. */
const SETUP = ['test/build-server.setup.ts'];

export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
    projects: [
      // pure code: threads without per-file isolation start fastest
      { extends: true, test: { name: 'unit', include: UNIT, pool: 'threads', isolate: false } },
      { extends: true, test: { name: 'models', include: MODELS, exclude: NOT_UNIT, globalSetup: SETUP } },
      { extends: true, test: { name: 'browser', include: BROWSER, exclude: NOT_UNIT, globalSetup: SETUP } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ALL,
          exclude: [...NOT_UNIT, ...MODELS, ...BROWSER],
          globalSetup: SETUP,
        },
      },
    ],
  },
});
