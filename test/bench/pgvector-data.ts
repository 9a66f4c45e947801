// The rows of the pgvector bench and their loading: LFW View 1's face embeddings (read from the search bench's
// cache, less the held-out query photos) then synthetic faces made from them, streamed into PostgreSQL with a binary
// COPY (no text parsing of half a billion floats). Synthetic face = a real face + a share of a real between-person
// difference (another identity near it) + a share of a real within-person difference (another photo) + a little
// noise, L2-normalised: the rows stay clustered like real embeddings instead of spreading uniformly over the sphere.
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Sql } from 'postgres';
import { normalize } from '../../server/src/search/vector-index.js';
import { rng } from '../search/random.js';
import type { FaceRow } from './search-faces.js';

/** Bumped whenever the rows made from the same faces change: part of the stored build's fingerprint. */
export const GENERATOR = 'lfw-faces+synthetic-v1';

/** A fingerprint of the rows a size and the faces give (with the index settings added by the caller). */
export function fingerprint(faces: FaceRow[], n: number, extra: string): string {
  const h = createHash('sha256').update(`${GENERATOR} ${n} ${extra}`);
  for (const f of faces)
    h.update(f.person).update(new Uint8Array(f.v.buffer, f.v.byteOffset, f.v.byteLength));
  return h.digest('hex').slice(0, 16);
}

/** A bench row and the face it was made from (its own index for a real face). */
export interface BenchRow {
  v: Float32Array;
  base: number;
}

/** Row `i` of `n` (ids 1..n): the faces first, then synthetic faces, the same in every run. */
export function* benchRows(faces: FaceRow[], n: number): Generator<BenchRow> {
  const dim = faces[0].v.length;
  const byPerson = new Map<string, number[]>();
  faces.forEach((f, i) => byPerson.set(f.person, [...(byPerson.get(f.person) ?? []), i]));
  const pairs = [...byPerson.values()].filter((rows) => rows.length > 1);
  const next = rng(0x5eed_1c0d);
  const int = (k: number) => Math.floor((next() + 0.5) * k);
  const out = new Float32Array(dim);
  for (let i = 0; i < n; i++) {
    if (i < faces.length) {
      yield { v: faces[i].v, base: i };
      continue;
    }
    const base = int(faces.length);
    const a = faces[base].v;
    const b = faces[int(faces.length)].v;
    const c = faces[int(faces.length)].v;
    const same = pairs[int(pairs.length)];
    const d = faces[same[int(same.length)]].v;
    const e = faces[same[int(same.length)]].v;
    const u = 0.5 * (next() + 0.5);
    const w = next() + 0.5;
    for (let k = 0; k < dim; k++) out[k] = a[k] + u * (b[k] - c[k]) + w * (d[k] - e[k]) + 0.04 * next();
    yield { v: normalize(out), base };
  }
}

const SIGNATURE = [0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00];

/** The binary COPY stream of (id int4, embedding vector(dim)) rows: ids 1.., pgvector's binary format. */
async function* binaryCopy(rows: Iterable<BenchRow>, dim: number): AsyncGenerator<Uint8Array> {
  const header = new Uint8Array(SIGNATURE.length + 8);
  header.set(SIGNATURE);
  yield header;
  const rowBytes = 2 + 4 + 4 + 4 + 4 + 4 * dim;
  const perChunk = 2048;
  let chunk = new DataView(new ArrayBuffer(rowBytes * perChunk));
  let filled = 0;
  let id = 0;
  for (const { v } of rows) {
    let o = filled * rowBytes;
    chunk.setInt16(o, 2);
    chunk.setInt32(o + 2, 4);
    chunk.setInt32(o + 6, ++id);
    chunk.setInt32(o + 10, 4 + 4 * dim);
    chunk.setInt16(o + 14, dim);
    chunk.setInt16(o + 16, 0);
    o += 18;
    for (let k = 0; k < dim; k++) chunk.setFloat32(o + 4 * k, v[k]);
    if (++filled === perChunk) {
      yield new Uint8Array(chunk.buffer);
      chunk = new DataView(new ArrayBuffer(rowBytes * perChunk));
      filled = 0;
    }
  }
  const trailer = new DataView(new ArrayBuffer(filled * rowBytes + 2));
  new Uint8Array(trailer.buffer).set(new Uint8Array(chunk.buffer, 0, filled * rowBytes));
  trailer.setInt16(filled * rowBytes, -1);
  yield new Uint8Array(trailer.buffer);
}

/** Loads `rows` into `table` (id int, embedding vector(dim)) with one binary COPY. */
export async function copyRows(sql: Sql, table: string, rows: Iterable<BenchRow>, dim: number) {
  const writable = await sql.unsafe(`copy ${table} (id, embedding) from stdin (format binary)`).writable();
  await pipeline(Readable.from(binaryCopy(rows, dim)), writable);
}

/** The person (of the face it was made from) of each row id in `ids`: one pass over the rows, nothing stored. */
export function rowPeople(faces: FaceRow[], n: number, ids: Iterable<number>): Map<number, string> {
  const wanted = new Set(ids);
  const out = new Map<number, string>();
  let id = 0;
  for (const { base } of benchRows(faces, n)) if (wanted.has(++id)) out.set(id, faces[base].person);
  return out;
}
