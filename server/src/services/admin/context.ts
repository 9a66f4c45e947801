// What every administration module shares: configuration, database, optional mailer and logger.
import type { Config } from '../../config.js';
import type { Db } from '../../db/types.js';
import type { Logger } from '../../http/logger.js';
import type { Mailer } from '../../mail/mailer.js';
import type { AdminImageStore } from './image-files.js';

export interface AdminDeps {
  config: Config;
  db: Db;
  /** Defaults to SMTP from `config.smtp`; absent when e-mail is not configured. */
  mailer?: Mailer;
  logger?: Logger;
  /** Writes the request counts buffered by this process (see request-counter.ts) before statistics are read. */
  flushRequestCounts?: () => Promise<void>;
}

export interface AdminCtx extends AdminDeps {
  images: AdminImageStore;
}
