// Who an inference job is for and whether its caller still waits. The HTTP layer opens a scope per keyed request
// (the face service's id, the request's abort signal); the pooled engine reads it, so the pool can share its places
// fairly between API keys and drop the queued jobs of clients that have gone, without every service passing both.
import { AsyncLocalStorage } from 'node:async_hooks';

export interface JobScope {
  /** Whose job it is (a face service id); jobs without an owner are not held to a per-key share. */
  owner?: string;
  /** Aborted when the client disconnects: a queued job is dropped, a running one's result discarded. */
  signal?: AbortSignal;
}

const storage = new AsyncLocalStorage<JobScope>();

/** Runs `fn` with `scope` as the current job scope (for every job it starts, however deep). */
export function runInJobScope<T>(scope: JobScope, fn: () => T): T {
  return storage.run(scope, fn);
}

/** The current job scope; empty outside any. */
export function currentJobScope(): JobScope {
  return storage.getStore() ?? {};
}
