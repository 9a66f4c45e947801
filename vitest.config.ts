// Test runner configuration: four lanes (vitest projects). `npm test` runs them all; `npm run test:<lane>` one.
//   unit         pure maths and small modules: no database, no models, no server build, no browser (seconds)
//   integration  databases (PGlite and PostgreSQL), the HTTP API, the admin app, the pool, the built server
//   models       real ONNX/tfjs models on real photos: engine, parity, evaluation (two projects: `models`, the
//                engine's, and `model-parity`, the converted graphs against tfjs and face-api)
//   browser      real Chromium (playwright-core) against the built app and server
// Long timeouts because tests run real models on real photos. Vitest runs the projects' files in the order of the
// projects' names, each project's longest first (by the last run's durations): browser, integration, model-parity,
// models, unit, so the long files start early and the short ones fill the end.
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
  'test/web/lib.test.ts',
  'test/web/service-nav.test.ts',
  'test/web/serve.test.ts',
  'test/web/build-cache.test.ts',
  'test/pool/metrics.test.ts',
  'test/pool/metrics-access.test.ts',
  'shared/**/*.test.ts',
];
/** The parity suites load tfjs and face-api's bundled tfjs, which share global state: a process per file. */
const MODEL_PARITY = [
  'test/models/tfjs-parity.test.ts',
  'test/models/tfjs-ops.test.ts',
  'test/models/faceapi-*.test.ts',
];
/** The model files that load neither (conversion, packaging, onnxruntime-web) share the engine's worker. */
const ENGINE = [
  'test/engine/**/*.test.ts',
  'test/eval/**/*.test.ts',
  'models/**/*.test.ts',
  'test/models/packaged.test.ts',
  'test/models/tfjs-registry.test.ts',
  'test/models/tfjs-convert.test.ts',
];
const MODELS = [...MODEL_PARITY, ...ENGINE];
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
      {
        extends: true,
        test: { name: 'model-parity', include: MODEL_PARITY, exclude: NOT_UNIT, globalSetup: SETUP },
      },
      // one process runs file after file (see integration below)
      {
        extends: true,
        test: { name: 'models', include: ENGINE, exclude: NOT_UNIT, globalSetup: SETUP, isolate: false },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: BROWSER,
          exclude: NOT_UNIT,
          globalSetup: SETUP,
          // a page under load can take seconds to show what a test polls for (the 1 s default flaked)
          expect: { poll: { timeout: 10_000 } },
          // one worker process runs file after file (vitest, playwright-core and the server's modules imported once
          // per worker, not per file); each file launches and closes its own Chromium, servers and databases
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ALL,
          exclude: [...NOT_UNIT, ...MODELS, ...BROWSER],
          globalSetup: SETUP,
          // A worker runs file after file without a fresh process: onnxruntime, sharp, PGlite, the app's module graph
          // and the API suites' engine (test/api/harness.ts) are loaded once per worker instead of once per file.
          // Each file still owns its databases, temp folders and servers, and closes them in afterAll.
          isolate: false,
        },
      },
    ],
  },
});
