// The administration services: accounts, users, applications with members, and their face services.
import { createMailer } from '../../mail/mailer.js';
import { accountServices } from './accounts.js';
import { applicationServices } from './applications.js';
import type { AdminDeps } from './context.js';
import { faceServiceAdmin } from './face-services.js';
import { createAdminImageStore } from './image-files.js';
import { userServices } from './users.js';

export type { AdminDeps } from './context.js';
export { createRequestCounter, type RequestCounter } from './request-counter.js';

export function createAdminServices(deps: AdminDeps) {
  const mailer = deps.mailer ?? (deps.config.smtp ? createMailer(deps.config.smtp) : undefined);
  const ctx = { ...deps, mailer, images: createAdminImageStore(deps.config) };
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
