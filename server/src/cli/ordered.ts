// Streaming, order-keeping concurrency for the CLI: many inputs, a few at a time, each result handed on in
// input order as soon as every earlier one is out (services/batch.ts's mapLimited collects instead).

/**
 * Runs `fn` over `items` with at most `limit` at once and calls `emit` with each result in input order;
 * a result that finishes early waits (in memory) only for the ones before it. `fn` should not reject: a
 * rejection stops the run and is rethrown once the calls in flight have settled.
 */
export async function forEachOrdered<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
  emit: (result: R, item: T, index: number) => void,
): Promise<void> {
  const ready = new Map<number, R>();
  let next = 0;
  let emitted = 0;
  let failure: { error: unknown } | undefined;
  const lane = async () => {
    while (next < items.length && !failure) {
      const i = next++;
      try {
        ready.set(i, await fn(items[i], i));
      } catch (error) {
        failure ??= { error };
        return;
      }
      while (ready.has(emitted)) {
        const r = ready.get(emitted) as R;
        ready.delete(emitted);
        emit(r, items[emitted], emitted);
        emitted++;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  if (failure) throw failure.error;
}
