// Embeddings of examples, one per (example, embedder model); stored as little-endian float32 bytes.
import type { Queryable } from '../db/types.js';

export interface StoredEmbedding {
  id: string;
  subjectId: string;
  subject: string;
  vector: Float32Array;
}

type Row = { id: string; subjectId: string; subject: string; vector: Uint8Array };
const fromRow = (r: Row): StoredEmbedding => ({
  id: r.id,
  subjectId: r.subjectId,
  subject: r.subject,
  vector: toVector(r.vector),
});

const toBytes = (v: Float32Array) => new Uint8Array(v.buffer, v.byteOffset, v.byteLength);

function toVector(bytes: Uint8Array): Float32Array {
  const v = new Float32Array(bytes.byteLength / 4);
  new Uint8Array(v.buffer).set(bytes);
  return v;
}

export async function insertEmbedding(
  q: Queryable,
  exampleId: string,
  embedder: string,
  vector: Float32Array,
): Promise<void> {
  await q.query(
    `insert into embeddings (example_id, embedder, dim, vector) values ($1, $2, $3, $4)
     on conflict (example_id, embedder) do update set dim = excluded.dim, vector = excluded.vector`,
    [exampleId, embedder, vector.length, toBytes(vector)],
  );
}

const select = `select e.id, e.subject_id as "subjectId", s.name as subject, v.vector
  from examples e join subjects s on s.id = e.subject_id
  join embeddings v on v.example_id = e.id and v.embedder = $2`;

/** Every embedding of the service made by `embedder`. */
export async function loadServiceEmbeddings(
  q: Queryable,
  serviceId: string,
  embedder: string,
): Promise<StoredEmbedding[]> {
  const rows = await q.query<Row>(`${select} where e.service_id = $1`, [serviceId, embedder]);
  return rows.map(fromRow);
}

/** The embeddings by `embedder` of those of `exampleIds` that still exist in the service. */
export async function loadEmbeddingsByIds(
  q: Queryable,
  serviceId: string,
  embedder: string,
  exampleIds: readonly string[],
): Promise<StoredEmbedding[]> {
  if (!exampleIds.length) return [];
  const rows = await q.query<Row>(
    `${select} where e.service_id = $1 and e.id = any(string_to_array($3, ',')::uuid[])`,
    [serviceId, embedder, exampleIds.join(',')],
  );
  return rows.map(fromRow);
}

/** Examples of the service that have no embedding by `embedder` (the model changed): they need re-embedding. */
export async function listExamplesWithoutEmbedding(
  q: Queryable,
  serviceId: string,
  embedder: string,
): Promise<string[]> {
  const rows = await q.query<{ id: string }>(
    `select e.id from examples e where e.service_id = $1
        and not exists (select 1 from embeddings v where v.example_id = e.id and v.embedder = $2)`,
    [serviceId, embedder],
  );
  return rows.map((r) => r.id);
}
