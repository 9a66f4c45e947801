// Input rules of the administration: e-mails, names, ids.
import { AdminNotFound, ValidationError } from '../../../../shared/errors.js';
import { isUuid } from '../validate.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A trimmed e-mail address of at most 254 characters. */
export function checkEmail(email: unknown): string {
  const e = typeof email === 'string' ? email.trim() : '';
  if (!EMAIL.test(e) || e.length > 254) throw new ValidationError('A valid e-mail address is required');
  return e;
}

/** A trimmed, non-empty name of at most `max` characters. */
export function checkName(name: unknown, field: string, max = 100): string {
  const n = typeof name === 'string' ? name.trim() : '';
  if (!n || [...n].length > max) throw new ValidationError(`${field} must have 1 to ${max} characters`);
  return n;
}

/** An optional person name (first/last): trimmed, at most 100 characters. */
export function optionalName(name: unknown, field: string): string {
  if (name === undefined || name === null || name === '') return '';
  return checkName(name, field);
}

/** Ids in paths must be UUIDs; anything else is simply not found. */
export function checkId(id: string, what: string): string {
  if (!isUuid(id)) throw new AdminNotFound(`${what} not found`);
  return id.toLowerCase();
}
