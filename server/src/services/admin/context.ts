// What every administration module shares: configuration, database, optional mailer and logger, and the
// collection store that clones and deletes services' collections.
import type { CollectionStore } from '../../collections/index.js';
import type { Config } from '../../config.js';
import type { Db } from '../../db/types.js';
import type { Logger } from '../../http/logger.js';
import type { Mailer } from '../../mail/mailer.js';

export interface AdminDeps {
  config: Config;
  db: Db;
  /** Defaults to SMTP from `config.smtp`; absent when e-mail is not configured. */
  mailer?: Mailer;
  logger?: Logger;
  /** Writes the request counts buffered by this process (see request-counter.ts) before statistics are read. */
  flushRequestCounts?: () => Promise<void>;
  /** The face services' store (this process's indexes then update at once); defaults to one without indexes. */
  collections?: CollectionStore;
}

export interface AdminCtx extends AdminDeps {
  collections: CollectionStore;
}
