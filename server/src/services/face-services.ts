// Builds the face services (FaceServices) over one database and one engine: loads the search indexes,
// sweeps orphan image files, and wires the subject, example, recognition and embedding modules.
import { createCollectionStore, type CollectionStore } from '../collections/index.js';
import { listExamplesWithoutEmbedding } from '../repositories/embeddings.js';
import { createImageStore } from '../repositories/images.js';
import { listServiceEmbedders } from '../repositories/embedder-jobs.js';
import type { Ctx, FaceServicesDeps } from './context.js';
import { EMBEDDER_JOB_LEASE_SECONDS, embedderJobs, type EmbedderJobs } from './embedder-jobs.js';
import { embeddingServices } from './embeddings.js';
import { exampleServices } from './examples.js';
import { createServiceRecord, resolveApiKey } from './keys.js';
import { reembed } from './matching.js';
import { recognitionServices } from './recognition.js';
import { chooseEmbedder, offeredEmbedders } from './service-embedder.js';
import { createSearchIndexes } from './search-backend.js';
import { subjectServices } from './subjects.js';
import type { FaceServices } from './types.js';

export type { DecodeImage, FaceServicesDeps } from './context.js';

export interface FaceServicesRuntime
  extends FaceServices, Pick<EmbedderJobs, 'resumeEmbedderJobs' | 'embedderJobsIdle'> {
  /** The collection store these services write through (give it to the sync and admin services too). */
  collections: CollectionStore;
  /**
   * Embeds, with its service's embedder, every stored example that only has embeddings by another model
   * (after a model change, or an enrolment that raced a change of the service's embedder). Returns how many were re-embedded and how many failed. Safe to run in background.
   */
  reembedMissing(): Promise<{ reembedded: number; failed: number }>;
  /** Whether example images can be stored (file mode: false after a disk fault until a write succeeds). */
  storageReady(): Promise<boolean>;
  /** Stops listening for other processes' changes. Does not close the database or the engine. */
  close(): Promise<void>;
}

/** Loads the search indexes and returns the face services; call `close()` before closing the database. */
export async function createFaceServices(deps: FaceServicesDeps): Promise<FaceServicesRuntime> {
  const { config, db, engine } = deps;
  const indexes = await createSearchIndexes(config, db, engine);
  const images = createImageStore({ dataDir: config.dataDir, inDb: config.saveImagesToDb });
  const collections = createCollectionStore({ db, images, indexes });
  const ctx: Ctx = { ...deps, indexes, images, collections };
  // Files left by a crash between a file and its row: swept at start and every IMAGE_SWEEP_INTERVAL seconds.
  const sweep = () => images.sweepOrphans(db, config.imageOrphanAge * 1000);
  await sweep();
  const sweeps =
    !images.inDb && config.imageSweepInterval > 0
      ? setInterval(() => void sweep().catch(() => {}), config.imageSweepInterval * 1000).unref()
      : undefined;
  await indexes.start();
  const jobs = embedderJobs(ctx);
  // Jobs whose node died are taken over by a node that is alive (the first look is main's, at start).
  const resumes = setInterval(
    () => void jobs.resumeEmbedderJobs().catch(() => {}),
    EMBEDDER_JOB_LEASE_SECONDS * 1000,
  ).unref();
  return {
    collections,
    resolveKey: (apiKey, type) => resolveApiKey(db, apiKey, type, config.minSimilarity),
    createService: async (input) =>
      createServiceRecord(
        db,
        { ...input, embedder: chooseEmbedder(engine, config, input.embedder) },
        config.minSimilarity,
      ),
    chooseEmbedder: (id) => chooseEmbedder(engine, config, id),
    ...jobs,
    ...subjectServices(ctx),
    ...exampleServices(ctx),
    ...recognitionServices(ctx),
    ...embeddingServices(ctx),
    async reembedMissing() {
      let reembedded = 0;
      let failed = 0;
      for (const s of await listServiceEmbedders(db)) {
        const embedder = offeredEmbedders(engine).find((e) => e.key === s.embedder);
        if (!embedder) continue; // not run by this server: its requests say so (embedderOf)
        for (const id of await listExamplesWithoutEmbedding(db, s.id, s.embedder)) {
          try {
            await reembed(ctx, s.id, id, embedder);
            reembedded++;
          } catch {
            failed++;
          }
        }
      }
      return { reembedded, failed };
    },
    storageReady: () => images.writable(),
    close: async () => {
      clearInterval(sweeps);
      clearInterval(resumes);
      await indexes.stop();
    },
  };
}
