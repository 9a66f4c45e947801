// Nearest examples by pgvector (SEARCH_BACKEND=pgvector): `example_vectors` (db/pgvector/*.sql), an HNSW index
// on negative inner product (`<#>`), filtered to one service's embeddings by one model.
import type { Db } from '../db/types.js';

export interface NearestExample {
  exampleId: string;
  subjectId: string;
  subject: string;
  /** Inner product with the query (cosine similarity of unit vectors), as pgvector computed it. */
  score: number;
  /** The stored embedding (the float32 bytes of `embeddings`, not pgvector's copy). */
  vector: Float32Array;
}

type Row = Omit<NearestExample, 'vector'> & { vector: Uint8Array };

/** pgvector's text input: `[x,y,…]`. */
const vectorText = (v: Float32Array) => `[${Array.from(v).join(',')}]`;

function toVector(bytes: Uint8Array): Float32Array {
  const v = new Float32Array(bytes.byteLength / 4);
  new Uint8Array(v.buffer).set(bytes);
  return v;
}

/**
 * The `limit` examples of the service nearest to `query`, best first (approximate: HNSW). Iterative index
 * scans (pgvector ≥ 0.8) keep scanning when the service filter drops candidates; `ef_search` (PGVECTOR_EF_SEARCH)
 * grows with `limit`. `embedder`: the service's embedder key now (read in the same transaction), undefined when
 * the service is gone.
 */
export async function searchNearestExamples(
  db: Db,
  serviceId: string,
  embedder: string,
  query: Float32Array,
  limit: number,
  efSearch: number,
): Promise<{ embedder: string | undefined; rows: NearestExample[] }> {
  const [settings, rows] = await db.transaction(async (tx) => {
    const set = await tx.query<{ embedder: string | null }>(
      `select set_config('hnsw.iterative_scan', 'strict_order', true),
              set_config('hnsw.ef_search', $1, true),
              (select embedder || '@' || embedder_version from services where id = $2) as embedder`,
      [String(Math.min(1000, Math.max(efSearch, limit))), serviceId],
    );
    const found = await tx.query<Row>(
      `select n.example_id as "exampleId", e.subject_id as "subjectId", s.name as subject, n.score, b.vector
         from (select example_id, embedder, -(embedding <#> $3::vector) as score
                 from example_vectors
                where service_id = $1 and embedder = $2
                order by embedding <#> $3::vector
                limit $4) n
         join examples e on e.id = n.example_id
         join subjects s on s.id = e.subject_id
         join embeddings b on b.example_id = n.example_id and b.embedder = n.embedder
        order by n.score desc`,
      [serviceId, embedder, vectorText(query), limit],
    );
    return [set[0], found] as const;
  });
  return {
    embedder: settings?.embedder ?? undefined,
    rows: rows.map((r) => ({ ...r, score: Number(r.score), vector: toVector(r.vector) })),
  };
}

/** Whether the pgvector schema is in this database (db/pgvector/*.sql applied). */
export async function hasVectorTable(db: Db): Promise<boolean> {
  const [row] = await db.query<{ ok: boolean }>(`select to_regclass('example_vectors') is not null as ok`);
  return row.ok;
}
