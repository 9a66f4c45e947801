// A service's embedder and the background job that re-embeds its collection when the embedder changes
// (issue 17.1): one row per service, the latest job.
import type { Queryable } from '../db/types.js';

export type EmbedderJobState = 'running' | 'done' | 'failed';

export interface EmbedderJobRow {
  serviceId: string;
  embedder: string;
  embedderVersion: number;
  state: EmbedderJobState;
  total: number;
  done: number;
  failed: number;
  error: string | null;
  startedAt: Date;
  finishedAt: Date | null;
}

const columns = `service_id as "serviceId", embedder, embedder_version as "embedderVersion", state, total, done,
  failed, error, started_at as "startedAt", finished_at as "finishedAt"`;

/**
 * Starts (or restarts) the service's job towards `embedder`, leased to `owner`; undefined when one is already
 * running, or when the service does not exist (deleted meanwhile: its row is held until the job row is written).
 */
export async function startEmbedderJob(
  q: Queryable,
  serviceId: string,
  embedder: string,
  embedderVersion: number,
  total: number,
  owner: string,
): Promise<EmbedderJobRow | undefined> {
  const rows = await q.query<EmbedderJobRow>(
    `insert into embedder_jobs (service_id, embedder, embedder_version, state, total, owner, heartbeat_at)
     select id, $2, $3, 'running', $4, $5, now() from services where id = $1 for key share
     on conflict (service_id) do update set embedder = excluded.embedder,
       embedder_version = excluded.embedder_version, state = 'running', total = excluded.total, done = 0,
       failed = 0, error = null, started_at = now(), finished_at = null, owner = excluded.owner,
       heartbeat_at = now()
       where embedder_jobs.state <> 'running'
     returning ${columns}`,
    [serviceId, embedder, embedderVersion, total, owner],
  );
  return rows[0];
}

/**
 * Takes a running job whose lease has lapsed (no heartbeat for `leaseSeconds`, or never leased) for `owner`, in one
 * statement, so that of several nodes looking at once only one resumes it; undefined when another node holds it.
 */
export async function claimEmbedderJob(
  q: Queryable,
  serviceId: string,
  owner: string,
  leaseSeconds: number,
): Promise<EmbedderJobRow | undefined> {
  const rows = await q.query<EmbedderJobRow>(
    `update embedder_jobs set owner = $2, heartbeat_at = now()
      where service_id = $1 and state = 'running'
        and (owner is null or owner = $2 or heartbeat_at is null
             or heartbeat_at < now() - make_interval(secs => $3::float8))
     returning ${columns}`,
    [serviceId, owner, leaseSeconds],
  );
  return rows[0];
}

/** Renews `owner`'s lease on the service's running job. */
export async function renewEmbedderJob(q: Queryable, serviceId: string, owner: string): Promise<void> {
  await q.query(
    `update embedder_jobs set heartbeat_at = now() where service_id = $1 and owner = $2 and state = 'running'`,
    [serviceId, owner],
  );
}

export async function findEmbedderJob(q: Queryable, serviceId: string): Promise<EmbedderJobRow | undefined> {
  const rows = await q.query<EmbedderJobRow>(`select ${columns} from embedder_jobs where service_id = $1`, [
    serviceId,
  ]);
  return rows[0];
}

export async function listRunningEmbedderJobs(q: Queryable): Promise<EmbedderJobRow[]> {
  return q.query<EmbedderJobRow>(`select ${columns} from embedder_jobs where state = 'running'`);
}

export async function updateEmbedderJob(
  q: Queryable,
  serviceId: string,
  patch: { total?: number; done: number; failed: number },
): Promise<void> {
  await q.query(
    `update embedder_jobs set total = coalesce($2, total), done = $3, failed = $4, heartbeat_at = now()
      where service_id = $1`,
    [serviceId, patch.total ?? null, patch.done, patch.failed],
  );
}

export async function finishEmbedderJob(
  q: Queryable,
  serviceId: string,
  state: 'done' | 'failed',
  error: string | null,
): Promise<void> {
  await q.query(
    `update embedder_jobs set state = $2, error = $3, finished_at = now() where service_id = $1`,
    [serviceId, state, error],
  );
}

/** Switches the service to `embedder` (its searches, sync and enrolments use it from the commit on). */
export async function setServiceEmbedder(
  q: Queryable,
  serviceId: string,
  embedder: string,
  embedderVersion: number,
): Promise<void> {
  await q.query('update services set embedder = $2, embedder_version = $3 where id = $1', [
    serviceId,
    embedder,
    embedderVersion,
  ]);
}

/** Every recognition service with its embedder key (`model@version`), for the search indexes. */
export async function listServiceEmbedders(q: Queryable): Promise<{ id: string; embedder: string }[]> {
  return q.query(
    `select id, embedder || '@' || embedder_version as embedder from services where type = 'recognition'`,
  );
}

export async function serviceEmbedder(q: Queryable, serviceId: string): Promise<string | undefined> {
  const rows = await q.query<{ embedder: string }>(
    `select embedder || '@' || embedder_version as embedder from services where id = $1`,
    [serviceId],
  );
  return rows[0]?.embedder;
}
