// Changing a service's embedder (issue 17.1): a background job re-embeds the collection from its stored images
// with the new model, recording progress in embedder_jobs, while the service keeps answering with its current
// embedder; once every example has the new embedding the service switches in one update (and every process's
// search index reloads it), then examples enrolled meanwhile under the old embedder are caught up.
import { randomUUID } from 'node:crypto';
import type { EmbedderInfo } from '../../../shared/engine/embedders.js';
import { Conflict, ServiceDeleted } from '../../../shared/errors.js';
import {
  claimEmbedderJob,
  findEmbedderJob,
  finishEmbedderJob,
  listRunningEmbedderJobs,
  renewEmbedderJob,
  serviceEmbedder,
  setServiceEmbedder,
  startEmbedderJob,
  updateEmbedderJob,
  type EmbedderJobRow,
} from '../repositories/embedder-jobs.js';
import { listExamplesWithoutEmbedding } from '../repositories/embeddings.js';
import { findExample } from '../repositories/examples.js';
import type { Ctx } from './context.js';
import { reembed } from './matching.js';
import { chooseEmbedder, offeredEmbedders } from './service-embedder.js';
import type { EmbedderJobView } from './types.js';

export const jobView = (j: EmbedderJobRow): EmbedderJobView => ({
  embedder: `${j.embedder}@${j.embedderVersion}`,
  state: j.state,
  total: j.total,
  done: j.done,
  failed: j.failed,
  error: j.error,
  started_at: j.startedAt.toISOString(),
  finished_at: j.finishedAt?.toISOString() ?? null,
});

/**
 * Embeds `exampleId`'s stored image with `target`: 'done'; 'gone' when the example was deleted meanwhile (it is no
 * longer part of the collection); 'failed' when it is there but its image is not (pushed without one) or no longer
 * shows one face.
 */
const embedInto = (ctx: Ctx, serviceId: string, exampleId: string, target: EmbedderInfo) =>
  reembed(ctx, serviceId, exampleId, target).then(
    () => 'done' as const,
    async () => ((await findExample(ctx.db, serviceId, exampleId)) ? ('failed' as const) : ('gone' as const)),
  );

/**
 * A job's lease (seconds): the node running it renews it every third of this; another node resumes a running job
 * only once its lease has lapsed, i.e. its node died. Nodes look for lapsed jobs at start and every lease.
 */
export const EMBEDDER_JOB_LEASE_SECONDS = 60;

/** What a job has done, by example: those it listed, embedded, found deleted, and failed to embed. */
interface JobCount {
  listed: Set<string>;
  done: Set<string>;
  gone: Set<string>;
  failed: Set<string>;
}

export function embedderJobs(ctx: Ctx, leaseSeconds = EMBEDDER_JOB_LEASE_SECONDS) {
  const { db } = ctx;
  const running = new Map<string, Promise<void>>();
  /** This process, as the holder of the jobs it runs. */
  const owner = randomUUID();

  /**
   * Embeds every example still without a `target` embedding, until none is left but those that failed (each tried
   * once per job), reporting the job's counts: `total` is every example it listed, less those deleted before it
   * embedded them, so that total = done + failed once it has finished.
   */
  async function catchUp(serviceId: string, target: EmbedderInfo, count: JobCount) {
    const report = () =>
      updateEmbedderJob(db, serviceId, {
        total: count.listed.size - count.gone.size,
        done: count.done.size,
        failed: count.failed.size,
      });
    for (;;) {
      const ids = (await listExamplesWithoutEmbedding(db, serviceId, target.key)).filter(
        (id) => !count.failed.has(id),
      );
      if (!ids.length) return report();
      for (const id of ids) {
        // listed again: deleted and pushed again under its id, it is to be embedded again
        count.listed.add(id);
        count.done.delete(id);
        count.gone.delete(id);
      }
      await report();
      for (const id of ids) {
        count[await embedInto(ctx, serviceId, id, target)].add(id);
        await report();
      }
    }
  }

  async function run(serviceId: string, target: EmbedderInfo): Promise<void> {
    try {
      const count: JobCount = { listed: new Set(), done: new Set(), gone: new Set(), failed: new Set() };
      await catchUp(serviceId, target, count);
      if (count.failed.size > 0 && count.done.size === 0) {
        await finishEmbedderJob(
          db,
          serviceId,
          'failed',
          'no stored image could be embedded with the new model',
        );
        return;
      }
      // Through the collection store: one transaction, one reload notification, this process's index reloaded.
      // From its commit on, the store refuses examples embedded by the old model (StaleEmbedder): those committed
      // before it are caught up now.
      await ctx.collections.changeService(serviceId, (tx) =>
        setServiceEmbedder(tx, serviceId, target.model, target.version),
      );
      await catchUp(serviceId, target, count);
      await finishEmbedderJob(db, serviceId, 'done', null);
    } catch (e) {
      await finishEmbedderJob(db, serviceId, 'failed', (e as Error).message).catch(() => {});
    }
  }

  function launch(serviceId: string, target: EmbedderInfo): void {
    const renew = () => void renewEmbedderJob(db, serviceId, owner).catch(() => {});
    const lease = setInterval(renew, (leaseSeconds * 1000) / 3).unref();
    const p = run(serviceId, target).finally(() => {
      clearInterval(lease);
      running.delete(serviceId);
    });
    running.set(serviceId, p);
  }

  return {
    /** The embedders a service may choose on this server. */
    embedders: (): readonly EmbedderInfo[] => offeredEmbedders(ctx.engine),

    /**
     * Starts re-embedding the service's collection with `embedder` (a model id or key) and returns the job;
     * Conflict (409) while one is running for the service, ValidationError for an unknown embedder.
     */
    async changeEmbedder(serviceId: string, embedder: unknown): Promise<EmbedderJobView> {
      const target = chooseEmbedder(ctx.engine, ctx.config, embedder);
      const job = await startEmbedderJob(db, serviceId, target.model, target.version, 0, owner);
      if (!job && (await serviceEmbedder(db, serviceId)) === undefined) throw new ServiceDeleted();
      if (!job) throw new Conflict('the service is already re-embedding its collection; wait for that job');
      launch(serviceId, target);
      return jobView(job);
    },

    /** The service's latest embedder job, or undefined. */
    async embedderJob(serviceId: string): Promise<EmbedderJobView | undefined> {
      const j = await findEmbedderJob(db, serviceId);
      return j && jobView(j);
    },

    /**
     * Resumes the running jobs whose node died (their lease lapsed): at start and every lease. Of several nodes
     * looking at once, one takes each job. Returns how many this process took.
     */
    async resumeEmbedderJobs(): Promise<number> {
      let taken = 0;
      for (const j of await listRunningEmbedderJobs(db)) {
        if (running.has(j.serviceId)) continue;
        if (!(await claimEmbedderJob(db, j.serviceId, owner, leaseSeconds))) continue;
        taken++;
        const target = offeredEmbedders(ctx.engine).find(
          (e) => e.model === j.embedder && e.version === j.embedderVersion,
        );
        if (target) launch(j.serviceId, target);
        else await finishEmbedderJob(db, j.serviceId, 'failed', `embedder ${j.embedder} is not available`);
      }
      return taken;
    },

    /** Resolves when no job runs in this process (tests, shutdown). */
    async embedderJobsIdle(): Promise<void> {
      while (running.size) await Promise.all([...running.values()]);
    },
  };
}

export type EmbedderJobs = ReturnType<typeof embedderJobs>;
