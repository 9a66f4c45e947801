// Query parameters of the kiosk events (GET sync/events and sync/events.csv): subject, unknown, device, from, to
// and, for the list, limit and offset. Bad values are 400 code 26, never ignored.
import type { Context } from 'hono';
import { ValidationError } from '../../../shared/errors.js';
import {
  EVENTS_DEFAULT_LIMIT,
  EVENTS_MAX_LIMIT,
  type KioskEventFilter,
} from '../../../shared/sync-events.js';
import { boolParam, intParam } from './query.js';

type Query = Pick<Context, 'req'>;

/** A date (UTC midnight) or a date-time with an optional offset (UTC without one), ISO 8601. */
const ISO = /^(\d{4}-\d\d-\d\d)(T\d\d:\d\d(?::\d\d(?:\.\d{1,9})?)?(Z|[+-]\d\d:\d\d)?)?$/;

function text(c: Query, name: string, max: number): string | undefined {
  const v = c.req.query(name)?.trim();
  if (!v) return undefined;
  if (v.length > max) throw new ValidationError(`${name} must be at most ${max} characters`);
  return v;
}

function instant(c: Query, name: string): Date | undefined {
  const v = text(c, name, 40);
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

/** The filter: `subject` (part of a name), `unknown` (true/false), `device`, `from` (inclusive), `to` (exclusive). */
export function eventFilter(c: Query): KioskEventFilter {
  const f: KioskEventFilter = {
    subject: text(c, 'subject', 255),
    device: text(c, 'device', 64),
    from: instant(c, 'from'),
    to: instant(c, 'to'),
  };
  if (c.req.query('unknown')?.trim()) f.unknown = boolParam(c, 'unknown', false);
  return f;
}

/** The filter and the page: `limit` (1..1000, default 100) and `offset` (≥ 0, default 0). */
export function eventQuery(c: Query): KioskEventFilter & { limit: number; offset: number } {
  return {
    ...eventFilter(c),
    limit: intParam(c, 'limit', EVENTS_DEFAULT_LIMIT, 1, EVENTS_MAX_LIMIT),
    offset: intParam(c, 'offset', 0, 0),
  };
}
