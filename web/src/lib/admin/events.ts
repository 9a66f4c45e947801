// The recognition events a service's kiosks pushed: who was seen, on which device, when. The server filters and
// pages them (GET /api/v1/recognition/sync/events) and exports what the same filter selects as CSV
// (GET sync/events.csv); this module turns the page's form into those query parameters.
import { call, fetchBlob, type Query } from '../api/client.js';
import type { Connection } from '../api/types.js';
import type { KioskEventPage } from '../../../../shared/sync-events.js';

export type { KioskEvent, KioskEventPage } from '../../../../shared/sync-events.js';

/** Events a page shows. */
export const PAGE_SIZE = 50;

export interface EventFilter {
  /** Part of a subject's name (case-insensitive); UNKNOWN for unrecognised faces only. */
  subject: string;
  device: string;
  /** Local dates `YYYY-MM-DD`, inclusive; empty for no bound. */
  from: string;
  to: string;
}

export const UNKNOWN = '(unknown)';

/** Local midnight of `YYYY-MM-DD` (plus `days`), as an ISO instant. */
function localDay(date: string, days = 0): string {
  const d = new Date(`${date}T00:00:00`);
  d.setDate(d.getDate() + days);
  return d.toISOString();
}

/** Whether the form selects anything (an empty one lists every event). */
export const isFiltered = (f: EventFilter): boolean =>
  Boolean(f.subject.trim() || f.device || f.from || f.to);

/** The query parameters of `f`: dates are whole local days, `to` included. */
export function eventQuery(f: EventFilter): Query {
  const subject = f.subject.trim();
  return {
    ...(subject.toLowerCase() === UNKNOWN ? { unknown: true } : { subject }),
    device: f.device,
    from: f.from ? localDay(f.from) : undefined,
    to: f.to ? localDay(f.to, 1) : undefined,
  };
}

/** Why the form cannot be sent as it is, else undefined. */
export function filterProblem(f: EventFilter): string | undefined {
  if (f.from && f.to && f.to < f.from) return 'The “To” date is before the “From” date.';
  return undefined;
}

export function loadEvents(
  conn: Connection,
  f: EventFilter,
  page: { offset: number; limit?: number },
  signal?: AbortSignal,
): Promise<KioskEventPage> {
  return call<KioskEventPage>(conn, 'GET', 'recognition/sync/events', {
    query: { ...eventQuery(f), limit: page.limit ?? PAGE_SIZE, offset: page.offset },
    signal,
  });
}

/** Every event the filter selects, as the server's CSV. */
export function eventsCsv(conn: Connection, f: EventFilter): Promise<Blob> {
  return fetchBlob(conn, 'recognition/sync/events.csv', { query: eventQuery(f) });
}
