// Counts face-service API requests per service and day for the dashboard. Counts are buffered in memory
// and added to the database every few seconds (one statement per flush, not one per request).
import type { Db } from '../../db/types.js';
import { addRequestCounts } from '../../repositories/stats.js';

export interface RequestCounter {
  /** Counts one request of the service. */
  count(serviceId: string): void;
  /** Writes the buffered counts now. */
  flush(): Promise<void>;
  /** Stops the timer and writes what is left (call before closing the database). */
  stop(): Promise<void>;
}

export function createRequestCounter(db: Db, opts: { flushMs?: number } = {}): RequestCounter {
  let pending = new Map<string, number>();
  let writing: Promise<void> = Promise.resolve();
  const flush = () => {
    const batch = pending;
    pending = new Map();
    writing = writing.then(() =>
      addRequestCounts(db, batch).catch(() => {
        // the database is unavailable: keep the counts for the next flush
        for (const [id, n] of batch) pending.set(id, (pending.get(id) ?? 0) + n);
      }),
    );
    return writing;
  };
  const timer = setInterval(() => void flush(), opts.flushMs ?? 5000);
  timer.unref();
  return {
    count(serviceId) {
      pending.set(serviceId, (pending.get(serviceId) ?? 0) + 1);
    },
    flush,
    async stop() {
      clearInterval(timer);
      await flush();
    },
  };
}
