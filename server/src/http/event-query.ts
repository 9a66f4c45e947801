// Values of the kiosk events' query parameters (GET sync/events and sync/events.csv), as the contract
// (contracts/sync.ts) reads them: trimmed, blank is absent. Bad values are 400 code 26, never ignored.
import { ValidationError } from '../../../shared/errors.js';

/** A date (UTC midnight) or a date-time with an optional offset (UTC without one), ISO 8601. */
const ISO = /^(\d{4}-\d\d-\d\d)(T\d\d:\d\d(?::\d\d(?:\.\d{1,9})?)?(Z|[+-]\d\d:\d\d)?)?$/;

/** Text of at most `max` characters. */
export function textValue(name: string, v: string | undefined, max: number): string | undefined {
  if (v !== undefined && v.length > max)
    throw new ValidationError(`${name} must be at most ${max} characters`);
  return v;
}

/** An instant: an ISO 8601 date (UTC midnight) or date-time (UTC without an offset). */
export function instantValue(name: string, value: string | undefined): Date | undefined {
  const v = textValue(name, value, 40);
  if (v === undefined) return undefined;
  const m = ISO.exec(v);
  // a day that does not exist (2026-02-31) would roll over: refused
  const day = m && new Date(`${m[1]}T00:00:00Z`);
  const d = m && new Date(m[2] && !m[3] ? `${v}Z` : v);
  if (
    !m ||
    !day ||
    !d ||
    Number.isNaN(d.getTime()) ||
    Number.isNaN(day.getTime()) ||
    day.toISOString().slice(0, 10) !== m[1]
  )
    throw new ValidationError(`${name} must be an ISO 8601 date or date-time, got '${v}'`);
  return d;
}
