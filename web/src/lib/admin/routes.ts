// The administration pages of the hash router: their names, titles, which need a logged-in user, and the
// e-mailed links, which are path URLs (`/reset-password?token=…`, server/src/mail/messages.ts).

export const ADMIN_ROUTES = [
  'login',
  'signup',
  'forgot-password',
  'reset-password',
  'confirm-email',
  'apps',
  'app',
  'service',
  'events',
  'account',
  'users',
] as const;
export type AdminRoute = (typeof ADMIN_ROUTES)[number];

export const ADMIN_TITLES: Record<AdminRoute, string> = {
  login: 'Log in',
  signup: 'Sign up',
  'forgot-password': 'Forgotten password',
  'reset-password': 'Choose a new password',
  'confirm-email': 'Confirm e-mail',
  apps: 'Applications',
  app: 'Application',
  service: 'Service dashboard',
  events: 'Kiosk events',
  account: 'Account',
  users: 'Users',
};

/** Pages for someone who is not logged in; the others show the log-in form until they are. */
export const SIGNED_OUT_ROUTES: readonly AdminRoute[] = [
  'login',
  'signup',
  'forgot-password',
  'reset-password',
  'confirm-email',
];

export const isAdminRoute = (name: string): name is AdminRoute =>
  (ADMIN_ROUTES as readonly string[]).includes(name);

/** Pages the e-mails link to by path. */
const EMAIL_LINKS = ['/reset-password', '/confirm-email'];

/** The hash URL for an e-mailed link (`/reset-password?token=t` → `/#/reset-password?token=t`), else undefined. */
export function hashForEmailLink(pathname: string, search: string): string | undefined {
  const path = pathname.replace(/\/+$/, '');
  return EMAIL_LINKS.includes(path) ? `/#${path}${search}` : undefined;
}
