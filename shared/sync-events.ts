// Kiosk recognition events as the server answers them (GET /api/v1/recognition/sync/events and events.csv):
// the wire type, the filter both answers take, and the CSV rendering (RFC 4180, safe for spreadsheets).
import type { z } from 'zod';
import type * as api from './api/sync.js';

/** One event a device pushed: who (null: a face nobody matched), where (the device) and when (ISO 8601). */
export type KioskEvent = z.infer<typeof api.KioskEvent>;

/** `GET sync/events`: one page of the filtered events, newest first, the total and the service's devices. */
export type KioskEventPage = z.infer<typeof api.KioskEventPage>;

/** The filter of `sync/events` and `sync/events.csv` (query parameters of the same names). */
export interface KioskEventFilter {
  /** Part of the subject's name, case-insensitive. */
  subject?: string;
  /** true: unrecognised faces only; false: recognised ones only. */
  unknown?: boolean;
  /** A device id, exactly. */
  device?: string;
  /** Inclusive lower bound. */
  from?: Date;
  /** Exclusive upper bound. */
  to?: Date;
}

export const EVENTS_DEFAULT_LIMIT = 100;
export const EVENTS_MAX_LIMIT = 1000;
/** The most rows one CSV export holds (the newest matching ones). */
export const EVENTS_CSV_MAX_ROWS = 100_000;

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

export const EVENTS_CSV_HEADER = [
  'at',
  'device_id',
  'subject',
  'similarity',
  'x_min',
  'y_min',
  'x_max',
  'y_max',
  'event_id',
] as const;

/** One event as a CSV line (no line end); an unrecognised face has an empty subject. */
export function eventCsvRow(e: KioskEvent): string {
  return [
    csvCell(e.at),
    csvCell(e.device_id),
    csvCell(e.subject),
    csvCell(Number(e.similarity.toFixed(4))),
    ...[e.box.x_min, e.box.y_min, e.box.x_max, e.box.y_max].map((x) => csvCell(Math.round(x))),
    csvCell(e.event_id),
  ].join(',');
}

/** The events as CSV with a header line, CRLF line ends. */
export function eventsCsv(events: readonly KioskEvent[]): string {
  return [EVENTS_CSV_HEADER.join(','), ...events.map(eventCsvRow)].join('\r\n') + '\r\n';
}
