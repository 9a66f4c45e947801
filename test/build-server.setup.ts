// Vitest global setup: builds dist/server from the current sources before any test runs, so the tests that start
// the built server (`npm start`, bin/visor, the container and cluster tests) never run a stale build.
import { buildServer } from '../server/build.js';

export default async function setup(): Promise<void> {
  await buildServer();
}
