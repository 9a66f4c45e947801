// Worker-thread entry: loads the worker module named in workerData. From source (worker.ts) it registers tsx in
// this thread first (a worker does not inherit the parent's module hooks under every runner: plain node, `tsx`,
// vitest); the build's dist/server/worker.js is plain JavaScript and needs no tsx (a dev dependency).
import { workerData } from 'node:worker_threads';

if (/\.[cm]?ts$/.test(String(workerData.entry))) (await import('tsx/esm/api')).register();
await import(workerData.entry);
