// Where the pgvector bench keeps its tables: the database `visor_bench_pgvector`, one table per size and dimension,
// its HNSW indexes, and `bench_builds`, one record per index (fingerprint, COPY and build seconds, index size, the
// load average while it was built). A later run reuses a table and an index whose fingerprint still matches.
import { loadavg } from 'node:os';
import postgres from 'postgres';
import { PG_ADMIN_URL } from '../storage/backends.js';
import { benchRows, copyRows } from './pgvector-data.js';
import type { FaceRow } from './search-faces.js';
import { now } from './stats.js';

export const DB = 'visor_bench_pgvector';
/** Enough for a 1M x 512-d graph to stay in memory during the build (else pgvector writes it out as it goes). */
const BUILD_SETTINGS = { maintenance_work_mem: '5GB', max_parallel_maintenance_workers: '2' };

export interface Build {
  name: string;
  fingerprint: string;
  load_s: number;
  build_s: number;
  index_mb: number;
  built_at: Date;
  load_average: string;
  notices: string;
}

/** Opens the bench database (created if missing) with its `bench_builds` table; notices go to `notices`. */
export async function openBenchDb(notices: string[]): Promise<postgres.Sql> {
  const admin = postgres(PG_ADMIN_URL, { max: 1, onnotice: () => {} });
  try {
    const [exists] = await admin`select 1 from pg_database where datname = ${DB}`;
    if (!exists) await admin.unsafe(`create database ${DB}`);
  } finally {
    await admin.end();
  }
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${DB}`;
  const sql = postgres(url.toString(), { max: 1, onnotice: (m) => notices.push(m.message) });
  await sql.unsafe('create extension if not exists vector');
  await sql.unsafe(`create table if not exists bench_builds (name text primary key, fingerprint text not null,
    load_s real, build_s real, index_mb real, built_at timestamptz, load_average text, notices text)`);
  return sql;
}

/** The recorded build of index `name` if it is still valid and was made from `fingerprint`. */
export async function reusable(
  sql: postgres.Sql,
  name: string,
  fingerprint: string,
): Promise<Build | undefined> {
  const [build] = await sql<Build[]>`select * from bench_builds where name = ${name}`;
  const [valid] = await sql`select 1 from pg_index where indexrelid = to_regclass(${name}) and indisvalid`;
  return build?.fingerprint === fingerprint && valid ? build : undefined;
}

/** (Re)creates `table` (id, embedding vector(dim)) with one COPY of the bench rows; returns the seconds taken. */
export async function loadTable(
  sql: postgres.Sql,
  table: string,
  faces: FaceRow[],
  n: number,
): Promise<number> {
  const dim = faces[0].v.length;
  process.stderr.write(`pgvector: loading ${n} rows into ${DB}.${table}\n`);
  await sql.unsafe(`drop table if exists ${table}`);
  await sql`delete from bench_builds where name like ${`${table}%`}`;
  // kept in the row (STORAGE PLAIN), not in TOAST: 512-d vectors pass TOAST's 2 kB threshold, and the exact scan
  // then fetches every vector from the TOAST table (the HNSW index holds its own copy either way)
  await sql.unsafe(`create table ${table} (id int not null, embedding vector(${dim}) not null)`);
  await sql.unsafe(`alter table ${table} alter column embedding set storage plain`);
  const t = now();
  await copyRows(sql, table, benchRows(faces, n), dim);
  await sql.unsafe(`analyze ${table}`);
  return (now() - t) / 1000;
}

/** Builds HNSW index `name` on `table` over `expression` with `ops`, and records the build. */
export async function buildIndex(
  sql: postgres.Sql,
  build: {
    name: string;
    table: string;
    expression: string;
    ops: string;
    fingerprint: string;
    load_s: number;
  },
  notices: string[],
): Promise<Build> {
  process.stderr.write(`pgvector: building ${build.name}\n`);
  await sql.unsafe(`drop index if exists ${build.name}`);
  await sql`delete from bench_builds where name = ${build.name}`;
  for (const [key, value] of Object.entries(BUILD_SETTINGS)) await sql.unsafe(`set ${key} = '${value}'`);
  const loads: number[] = [];
  const sampler = setInterval(() => loads.push(loadavg()[0]), 10_000);
  notices.length = 0;
  const t = now();
  try {
    await sql.unsafe(
      `create index ${build.name} on ${build.table} using hnsw (${build.expression} ${build.ops})`,
    );
  } finally {
    clearInterval(sampler);
  }
  const seconds = (now() - t) / 1000;
  const [{ mb }] = await sql<{ mb: number }[]>`select pg_relation_size(${build.name}::regclass) / 1e6 as mb`;
  const mean = loads.length ? loads.reduce((a, b) => a + b, 0) / loads.length : loadavg()[0];
  const record: Build = {
    name: build.name,
    fingerprint: build.fingerprint,
    load_s: build.load_s,
    build_s: seconds,
    index_mb: Number(mb),
    built_at: new Date(),
    load_average: `${mean.toFixed(1)} mean, ${Math.max(mean, ...loads).toFixed(1)} max`,
    notices: [...new Set(notices)].join('; '),
  };
  await sql`insert into bench_builds ${sql(record)}`;
  return record;
}
