// Where recognition searches (SEARCH_BACKEND): `memory`, the in-process indexes (server/src/search: exact, then
// quantised from SEARCH_QUANTISE_FROM examples), or
// `pgvector`, the database's HNSW index, for collections that should not live in every server's memory.
import type { FaceEngine } from '../../../shared/engine/types.js';
import type { Config } from '../config.js';
import { PgvectorUnavailable } from '../db/pgvector.js';
import type { Db } from '../db/types.js';
import { serviceEmbedder } from '../repositories/embedder-jobs.js';
import { loadEmbeddingsByIds } from '../repositories/embeddings.js';
import { hasVectorTable, searchNearestExamples } from '../repositories/vectors.js';
import {
  SearchIndexes,
  StaleEmbedder,
  type ExternalSearch,
  type SubjectHit,
} from '../search/service-indexes.js';
import { PGVECTOR_DIM } from './service-embedder.js';

/**
 * Nearest distinct subjects through pgvector: the best `m` examples, deduplicated, `m` growing ×4 as needed.
 * `embedder`: the default key; a service passes its own. StaleEmbedder when it is no longer the service's.
 */
export function pgvectorSearch(db: Db, defaultEmbedder: string, efSearch: number): ExternalSearch {
  return {
    async searchSubjects(serviceId, query, k, embedder = defaultEmbedder) {
      if (k <= 0) return [];
      for (let m = Math.max(4 * k, 16); ; m *= 4) {
        const { embedder: now, rows } = await searchNearestExamples(
          db,
          serviceId,
          embedder,
          query,
          m,
          efSearch,
        );
        // as the in-memory indexes: a request begun before the service switched embedders searches again
        if (now !== undefined && now !== embedder) throw new StaleEmbedder(serviceId, now);
        const seen = new Set<string>();
        const hits: SubjectHit[] = [];
        for (const r of rows) {
          if (seen.has(r.subjectId)) continue;
          seen.add(r.subjectId);
          hits.push(r);
          if (hits.length === k) return hits;
        }
        if (rows.length < m) return hits;
      }
    },
    async example(serviceId, exampleId, embedder = defaultEmbedder) {
      const now = await serviceEmbedder(db, serviceId);
      if (now !== undefined && now !== embedder) throw new StaleEmbedder(serviceId, now);
      const [row] = await loadEmbeddingsByIds(db, serviceId, embedder, [exampleId]);
      return row && { subjectId: row.subjectId, subject: row.subject, vector: row.vector };
    },
  };
}

/** The search indexes for the configured backend; pgvector needs its schema (openDatabase applies it). */
export async function createSearchIndexes(
  config: Pick<Config, 'searchBackend' | 'searchQuantiseFrom' | 'searchCandidates' | 'pgvectorEfSearch'>,
  db: Db,
  engine: Pick<FaceEngine, 'embedderId' | 'embeddingSize' | 'embedders'>,
): Promise<SearchIndexes> {
  const opts = {
    db,
    embedder: engine.embedderId,
    dim: engine.embeddingSize,
    // each service's index has its embedder's size (issue 17.1)
    dimOf: (key: string) => engine.embedders?.find((e) => e.key === key)?.dim,
    quantiseFrom: config.searchQuantiseFrom,
    candidates: config.searchCandidates,
  };
  switch (config.searchBackend) {
    case 'memory':
      return new SearchIndexes(opts);
    case 'pgvector':
      if (!(await hasVectorTable(db)))
        throw new PgvectorUnavailable(db.kind, 'the database was opened without the pgvector schema');
      if (engine.embeddingSize !== PGVECTOR_DIM)
        throw new PgvectorUnavailable(
          db.kind,
          `the embedder makes ${engine.embeddingSize}-d embeddings, the vector column holds ${PGVECTOR_DIM}`,
        );
      return new SearchIndexes({
        ...opts,
        external: pgvectorSearch(db, engine.embedderId, config.pgvectorEfSearch),
      });
  }
}
