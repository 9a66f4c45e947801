// Peak resident memory while something runs: a worker thread samples the process RSS every few
// milliseconds, so the sampling goes on while the main thread is busy in synchronous code.
import { Worker } from 'node:worker_threads';

const SAMPLER = `
const { parentPort } = require('node:worker_threads');
let peak = 0;
const tick = () => { const r = process.memoryUsage.rss(); if (r > peak) peak = r; };
setInterval(tick, ${5});
parentPort.on('message', (m) => { tick(); parentPort.postMessage(peak); if (m === 'reset') peak = 0; });
`;

export class RssSampler {
  private readonly worker = new Worker(SAMPLER, { eval: true });

  /** The highest RSS (bytes) sampled since the start or the last reset; `reset` starts a new window. */
  peak(reset = false): Promise<number> {
    return new Promise((resolve) => {
      this.worker.once('message', (v: number) => resolve(v));
      this.worker.postMessage(reset ? 'reset' : 'read');
    });
  }

  stop(): Promise<number> {
    return this.worker.terminate();
  }
}

/** The process's lifetime peak RSS in bytes (getrusage ru_maxrss). */
export const maxRss = (): number => process.resourceUsage().maxRSS * 1024;
