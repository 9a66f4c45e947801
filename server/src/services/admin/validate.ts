// Input rules of the administration: e-mails, names, passwords, roles, service settings, ids. The admin API's
// contracts (server/src/contracts/admin) apply them to request bodies and the shell (server/src/cli) to its
// options, so the services take checked values; each throws the ValidationError (26) the API always answered.
import { AdminNotFound, ValidationError } from '../../../../shared/errors.js';
import type { ServiceType } from '../types.js';
import { isUuid } from '../validate.js';
import { checkPassword } from './passwords.js';
import { isRole, type Role } from './roles.js';

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

/** A password that follows the policy, or undefined when absent (null and '' are absent when `orNull`). */
export function optionalPassword(password: unknown, orNull = false): string | undefined {
  if (password === undefined || password === '' || (orNull && password === null)) return undefined;
  return checkPassword(password);
}

/** Any global or application role. */
export function roleValue(role: unknown): Role {
  if (!isRole(role)) throw new ValidationError('role must be OWNER, ADMINISTRATOR or USER');
  return role;
}

/** The role of a new user or member: ADMINISTRATOR or USER (the default). */
export function newRole(role: unknown): Exclude<Role, 'OWNER'> {
  const r = role ?? 'USER';
  if (!isRole(r) || r === 'OWNER') throw new ValidationError('role must be ADMINISTRATOR or USER');
  return r;
}

const TYPES: readonly ServiceType[] = ['recognition', 'detection', 'verification'];

/** A face service type in any case (the API writes them in capitals). */
export function serviceType(type: unknown): ServiceType {
  const t = typeof type === 'string' ? type.toLowerCase() : '';
  if (!(TYPES as string[]).includes(t))
    throw new ValidationError('type must be RECOGNITION, DETECTION or VERIFICATION');
  return t as ServiceType;
}

/** A service's minimum similarity: 0..1, or null for the server default. */
export function minSimilarity(v: unknown): number | null {
  if (v === null) return null;
  if (typeof v !== 'number' || !(v >= 0 && v <= 1))
    throw new ValidationError('min_similarity must be between 0 and 1');
  return v;
}

/** Ids in paths must be UUIDs; anything else is simply not found. */
export function checkId(id: string, what: string): string {
  if (!isUuid(id)) throw new AdminNotFound(`${what} not found`);
  return id.toLowerCase();
}

/** The `days` of a service's statistics: 1 to 366, default 30. */
export function statsDays(v: string | undefined): number {
  if (v === undefined) return 30;
  const days = Number(v);
  if (!Number.isInteger(days)) throw new ValidationError('days must be an integer');
  if (days < 1 || days > 366) throw new ValidationError('days must be 1 to 366');
  return days;
}
