// The recognition events a service's kiosks pushed (GET /api/v1/recognition/sync/events, newest first): who
// was seen, on which device, when. Filtering and the CSV export run here on the newest events the server gives.
import { call } from '../api/client.js';
import type { Connection } from '../api/types.js';

export interface KioskEvent {
  device_id: string;
  event_id: string;
  /** ISO 8601. */
  at: string;
  /** null: a face nobody in the collection matched. */
  subject: string | null;
  similarity: number;
  box: { x_min: number; y_min: number; x_max: number; y_max: number };
}

/** The most the server answers in one call. */
export const MAX_EVENTS = 1000;

export async function loadEvents(conn: Connection, limit = MAX_EVENTS): Promise<KioskEvent[]> {
  const r = await call<{ events: KioskEvent[] }>(conn, 'GET', 'recognition/sync/events', {
    query: { limit },
  });
  return r.events;
}

export interface EventFilter {
  /** Part of a subject's name (case-insensitive); UNKNOWN for unrecognised faces only. */
  subject: string;
  device: string;
  /** Local dates `YYYY-MM-DD`, inclusive; empty for no bound. */
  from: string;
  to: string;
}

export const UNKNOWN = '(unknown)';

const dayStart = (d: string) => new Date(`${d}T00:00:00`).getTime();

export function filterEvents(events: readonly KioskEvent[], f: EventFilter): KioskEvent[] {
  const q = f.subject.trim().toLowerCase();
  const from = f.from ? dayStart(f.from) : -Infinity;
  const to = f.to ? dayStart(f.to) + 86_400_000 : Infinity;
  return events.filter((e) => {
    const t = Date.parse(e.at);
    if (t < from || t >= to) return false;
    if (f.device && e.device_id !== f.device) return false;
    if (!q) return true;
    if (q === UNKNOWN) return e.subject === null;
    return e.subject !== null && e.subject.toLowerCase().includes(q);
  });
}

/**
 * A CSV cell: quoted when it holds a comma, quote or line break; text that a spreadsheet would run as a formula
 * (= + - @ tab, CR first) gets a leading apostrophe (OWASP, CSV injection).
 */
export function csvCell(v: string | number | null): string {
  if (v === null) return '';
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const HEADER = ['at', 'device_id', 'subject', 'similarity', 'x_min', 'y_min', 'x_max', 'y_max', 'event_id'];

/** The events as CSV (RFC 4180, CRLF line ends), one row each; an unrecognised face has an empty subject. */
export function eventsCsv(events: readonly KioskEvent[]): string {
  const rows = events.map((e) =>
    [
      csvCell(e.at),
      csvCell(e.device_id),
      csvCell(e.subject),
      csvCell(Number(e.similarity.toFixed(4))),
      ...[e.box.x_min, e.box.y_min, e.box.x_max, e.box.y_max].map((x) => csvCell(Math.round(x))),
      csvCell(e.event_id),
    ].join(','),
  );
  return [HEADER.join(','), ...rows].join('\r\n') + '\r\n';
}
