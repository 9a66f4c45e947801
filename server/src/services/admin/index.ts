// The administration services: accounts, users, applications with members, and their face services.
import { createCollectionStore } from '../../collections/index.js';
import { createMailer } from '../../mail/mailer.js';
import { createImageStore } from '../../repositories/images.js';
import { accountServices } from './accounts.js';
import { applicationServices } from './applications.js';
import type { AdminDeps } from './context.js';
import { faceServiceAdmin } from './face-services.js';
import { userServices } from './users.js';

export type { AdminDeps } from './context.js';
export { createRequestCounter, type RequestCounter } from './request-counter.js';

export function createAdminServices(deps: AdminDeps) {
  const mailer = deps.mailer ?? (deps.config.smtp ? createMailer(deps.config.smtp) : undefined);
  const collections =
    deps.collections ??
    createCollectionStore({
      db: deps.db,
      images: createImageStore({ dataDir: deps.config.dataDir, inDb: deps.config.saveImagesToDb }),
    });
  const ctx = { ...deps, mailer, collections };
  const accounts = accountServices(ctx);
  const applications = applicationServices(ctx);
  return {
    /** Whether e-mail confirmation and reset by e-mail are available. */
    emailEnabled: !!mailer,
    signupEnabled: deps.config.signupEnabled,
    accounts,
    users: userServices(ctx, accounts),
    applications,
    services: faceServiceAdmin(ctx, applications),
    /** Closes the SMTP connection pool (if this created it). */
    close: () => (deps.mailer ? undefined : mailer?.close()),
  };
}

export type AdminServices = ReturnType<typeof createAdminServices>;
