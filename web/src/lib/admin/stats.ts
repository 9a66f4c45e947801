// Requests per day for the dashboard chart: the API lists only days with requests; the chart wants every day.

export interface DayCount {
  day: string;
  count: number;
}

/** Every UTC day of the `days` days ending `today` (YYYY-MM-DD), oldest first, with 0 where none is listed. */
export function fillDays(requests: readonly DayCount[], days: number, today: Date = new Date()): DayCount[] {
  const counts = new Map(requests.map((r) => [r.day, r.count]));
  const end = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  const out: DayCount[] = [];
  for (let i = days - 1; i >= 0; i--) {
    const day = new Date(end - i * 86_400_000).toISOString().slice(0, 10);
    out.push({ day, count: counts.get(day) ?? 0 });
  }
  return out;
}

/** "12 Mar" for a YYYY-MM-DD day. */
export function shortDay(day: string): string {
  return new Date(`${day}T00:00:00Z`).toLocaleDateString(undefined, {
    day: 'numeric',
    month: 'short',
    timeZone: 'UTC',
  });
}
