// One inference worker thread: loads its own engine (onnxruntime-node sessions), then decodes and analyses
// the jobs the pool sends, one at a time, and posts results back with the embeddings transferred.
import { parentPort, workerData } from 'node:worker_threads';
import type { FaceEngine } from '../../../../shared/engine/types.js';
import { decodeImage } from '../../image/decode.js';
import { createServerEngine } from '../engine.js';
import {
  resultTransfer,
  serializeError,
  type FromWorker,
  type ToWorker,
  type WorkerInit,
} from './protocol.js';

const port = parentPort;
if (!port) throw new Error('inference worker: not started as a worker thread');
const init = workerData as WorkerInit;
const post = (msg: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(msg, transfer);

let engine: FaceEngine;
try {
  engine = await createServerEngine({
    intraOpThreads: init.intraOpThreads,
    modelsDir: init.modelsDir,
    models: init.models,
  });
  post({
    type: 'ready',
    info: {
      embedderId: engine.embedderId,
      embeddingSize: engine.embeddingSize,
      embedders: engine.embedders,
      versions: engine.versions,
    },
  });
} catch (e) {
  post({ type: 'loadFailed', error: serializeError(e) });
  process.exit(1);
}

async function run(msg: Extract<ToWorker, { type: 'job' }>): Promise<void> {
  const { id, job } = msg;
  try {
    if (job.kind === 'analyze') {
      const result = await engine.analyze(job.image, job.opts);
      post({ type: 'done', id, result }, resultTransfer(result));
    } else {
      const t0 = performance.now();
      const image = await decodeImage(job.bytes, {
        maxPixels: job.maxPixels,
        maxSide: job.maxSide,
        maxImageSide: job.maxImageSide,
        timeoutSeconds: job.decodeTimeoutSeconds,
      });
      const decodeMs = performance.now() - t0;
      const result = await engine.analyze(image, job.opts);
      post({ type: 'done', id, result, decodeMs }, resultTransfer(result));
    }
  } catch (e) {
    post({ type: 'failed', id, error: serializeError(e) });
  }
}

port.on('message', (msg: ToWorker) => {
  if (msg.type === 'job') void run(msg);
  else void engine.dispose().finally(() => (post({ type: 'closed' }), port.close()));
});
