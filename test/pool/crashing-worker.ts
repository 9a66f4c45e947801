// Test worker: the real inference worker, plus triggers that kill the thread in the middle of a job (any job
// asking for `limit: 13`), as a native crash or an out-of-memory would, or hang it (`limit: 14`), as a decode or
// an inference that never ends would.
import { parentPort } from 'node:worker_threads';
import type { ToWorker } from '../../server/src/inference/pool/protocol.js';
import '../../server/src/inference/pool/worker.js';

parentPort?.on('message', (msg: ToWorker) => {
  if (msg.type === 'job' && msg.job.opts.limit === 13) process.exit(7);
  if (msg.type === 'job' && msg.job.opts.limit === 14) for (;;);
});
