// Dashboard numbers of a face service: requests per day (counted by the face-service API) and collection size.
import type { Queryable } from '../db/types.js';

/** Adds `counts` (service id → requests) to today's (UTC) totals; services deleted meanwhile are skipped. */
export async function addRequestCounts(q: Queryable, counts: ReadonlyMap<string, number>): Promise<void> {
  if (!counts.size) return;
  const ids = [...counts.keys()];
  const ns = ids.map((id) => counts.get(id) ?? 0);
  await q.query(
    `insert into service_requests (service_id, day, count)
     select c.id, (now() at time zone 'utc')::date, c.n
       from unnest($1::uuid[], $2::bigint[]) as c(id, n) join services s on s.id = c.id
     on conflict (service_id, day) do update set count = service_requests.count + excluded.count`,
    [ids, ns],
  );
}

/** Requests per day over the last `days` days (UTC), oldest first; days without requests are absent. */
export async function listDailyRequests(
  q: Queryable,
  serviceId: string,
  days: number,
): Promise<{ day: string; count: number }[]> {
  return q.query(
    `select to_char(day, 'YYYY-MM-DD') as day, count::int as count from service_requests
      where service_id = $1 and day > (now() at time zone 'utc')::date - $2::int order by day`,
    [serviceId, days],
  );
}

/** Subjects and examples (images) per service of the application. */
export async function countCollections(
  q: Queryable,
  applicationId: string,
): Promise<Map<string, { subjects: number; images: number }>> {
  const rows = await q.query<{ id: string; subjects: number; images: number }>(
    `select s.id,
            (select count(*)::int from subjects where service_id = s.id) as subjects,
            (select count(*)::int from examples where service_id = s.id) as images
       from services s where s.application_id = $1`,
    [applicationId],
  );
  return new Map(rows.map((r) => [r.id, { subjects: r.subjects, images: r.images }]));
}
