// The database adapter every repository talks to: parameterised queries, transactions, LISTEN/NOTIFY.
// Two implementations (PostgreSQL via `postgres`, embedded PGlite); only `server/src/db/*` imports a driver.

/** Something that runs SQL: the database itself or an open transaction. */
export interface Queryable {
  /** Runs one statement with `$1…$n` parameters and returns its rows. */
  query<T extends object = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs a parameterless script of several statements (migrations). */
  exec(script: string): Promise<void>;
}

export interface Db extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  /** Runs `fn` in a transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Subscribes to a NOTIFY channel. `onReconnect` runs when the listening connection came back after a drop
   * (notifications may have been missed). Resolves to an unsubscribe function.
   */
  listen(
    channel: string,
    onMessage: (payload: string) => void,
    onReconnect?: () => void,
  ): Promise<() => Promise<void>>;
  /**
   * Whether the database takes writes: true while no disk fault is known; after one (a disk-full error, answered
   * 507 code 48), a probe write decides, so readiness comes back once space is freed (db/faults.ts).
   */
  writable(): Promise<boolean>;
  close(): Promise<void>;
}
