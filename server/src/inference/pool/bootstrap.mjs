// Worker-thread entry: registers tsx in this thread (a worker does not inherit the parent's module hooks
// under every runner: plain node, `tsx`, vitest), then loads the TypeScript worker module named in workerData.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
