// Admin API failures as the user wants them: what failed, the server's reason and what to do, with advice per
// admin error code (100+, shared/errors.ts). Pages may give better advice for a code in their context.
import { ApiError, toUiError, type UiError } from '../api/errors.js';

export const ADMIN_CODES = {
  unauthorized: 101,
  forbidden: 102,
  notFound: 103,
  conflict: 104,
  tooManyAttempts: 105,
  invalidToken: 106,
  emailDisabled: 107,
  validation: 26,
} as const;

const HINTS: Record<number, string> = {
  [ADMIN_CODES.unauthorized]: 'Your session has ended. Log in again to continue.',
  [ADMIN_CODES.forbidden]:
    'Your role does not allow this. Ask an owner or administrator of the application to do it or to change your role.',
  [ADMIN_CODES.notFound]: 'It may have been deleted, or you are no longer a member. Reload the page.',
  [ADMIN_CODES.conflict]: 'Choose another value and try again.',
  [ADMIN_CODES.tooManyAttempts]: 'Wait a few minutes before trying again, or reset your password.',
  [ADMIN_CODES.invalidToken]: 'Links work once and expire. Ask for a new link and use the newest message.',
  [ADMIN_CODES.emailDisabled]:
    'Ask an administrator to reset your password (on the server: visor user reset-password --email …).',
  [ADMIN_CODES.validation]: 'Check the values you entered and try again.',
};

/**
 * Turns anything an admin call threw into a UiError; `hints` overrides the advice per code, e.g.
 * `{ 104: 'Log in instead.' }` on the sign-up form.
 */
export function adminError(action: string, err: unknown, hints: Record<number, string> = {}): UiError {
  const base = toUiError(action, err);
  if (!(err instanceof ApiError) || err.code === undefined) return base;
  const hint = hints[err.code] ?? HINTS[err.code];
  return hint ? { ...base, hint } : base;
}

/** True when `err` is the admin error `code`. */
export const isAdminError = (err: unknown, code: number): boolean =>
  err instanceof ApiError && err.code === code;
