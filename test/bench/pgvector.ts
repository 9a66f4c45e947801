// Bench section `pgvector`: search in the real PostgreSQL with pgvector's HNSW index (what SEARCH_BACKEND=pgvector
// uses: vector(512), inner product on unit vectors, pgvector's default m = 16, ef_construction = 64) against exact
// search (a sequential scan) on the same rows, in the same run: query latency and recall@1 (how often HNSW's first
// answer is the exact first answer), and the build time. Rows: LFW View 1's faces and synthetic faces made from them
// (pgvector-data.ts); queries: the held-out LFW photos, real faces the index has never seen. The table and its index
// live in the database `visor_bench_pgvector` and are reused by later runs while their fingerprint (rows, settings,
// pgvector version) matches, so a 1M index is built once (hours on 2 cores); `--pgvector-rebuild` builds afresh.
// `--pgvector-size N` (default 100k, quick 20k).
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import postgres from 'postgres';
import { PG_ADMIN_URL } from '../storage/backends.js';
import { copyRows, benchRows, fingerprint } from './pgvector-data.js';
import { runChild } from './child.js';
import { LFW_DIR, readFaces, splitFaces } from './search-faces.js';
import { now, quantile } from './stats.js';

const DB = 'visor_bench_pgvector';
const EF_SEARCH = [40, 100, 200];
/** Enough for a 1M x 512-d graph to stay in memory during the build (else pgvector writes it out as it goes). */
const BUILD_SETTINGS = { maintenance_work_mem: '5GB', max_parallel_maintenance_workers: '2' };

interface Build {
  fingerprint: string;
  load_s: number;
  build_s: number;
  index_mb: number;
  built_at: Date;
  load_average: string;
  notices: string;
}

export interface PgvectorOptions {
  quick: boolean;
  size?: number;
  rebuild: boolean;
}

export async function runPgvector({ quick, size, rebuild }: PgvectorOptions): Promise<void> {
  const n = size ?? (quick ? 20_000 : 100_000);
  if (!existsSync(LFW_DIR)) throw new Error(`needs LFW View 1 (${LFW_DIR}) for its rows and queries`);
  // the default embedder's LFW embeddings, cached by the search section (computed here on first use: minutes)
  const base = await runChild<string>('./search-faces.ts', [], 3_600_000);
  const { set, rows } = await readFaces(base);
  const split = splitFaces(set, rows);
  const queries = split.queries.slice(0, quick ? 50 : 100).map((q) => `[${q.join(',')}]`);
  const dim = set.dim;

  const admin = postgres(PG_ADMIN_URL, { max: 1, onnotice: () => {} });
  try {
    const [exists] = await admin`select 1 from pg_database where datname = ${DB}`;
    if (!exists) await admin.unsafe(`create database ${DB}`);
  } finally {
    await admin.end();
  }
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${DB}`;
  const notices: string[] = [];
  const sql = postgres(url.toString(), { max: 1, onnotice: (m) => notices.push(m.message) });
  try {
    await sql.unsafe('create extension if not exists vector');
    await sql.unsafe(`create table if not exists bench_builds (name text primary key, fingerprint text not null,
      load_s real, build_s real, index_mb real, built_at timestamptz, load_average text, notices text)`);
    const [{ version }] = await sql<{ version: string }[]>`
      select extversion as version from pg_extension where extname = 'vector'`;
    const table = `rows_${dim}_${n}`;
    const print = fingerprint(
      split.rows,
      n,
      `vector(${dim}) hnsw m=16 ef_construction=64 pgvector ${version}`,
    );
    let [build] = await sql<Build[]>`select * from bench_builds where name = ${table}`;
    const [valid] =
      await sql`select 1 from pg_index where indexrelid = to_regclass(${`${table}_hnsw`}) and indisvalid`;
    const reused = !rebuild && build?.fingerprint === print && !!valid;
    if (!reused) build = await buildTable(sql, table, split.rows, n, dim, print, notices);
    const [{ count }] = await sql.unsafe<{ count: string }[]>(`select count(*) from ${table}`);
    if (Number(count) !== n)
      throw new Error(`${table} holds ${count} rows, expected ${n}: run with --pgvector-rebuild`);

    console.log(
      `\n## pgvector ${version} in PostgreSQL: HNSW against exact search, ${n.toLocaleString('en-US')} embeddings of ${dim}-d`,
    );
    console.log(
      `${reused ? 'reused' : 'built in this run'}: table ${DB}.${table}, built ${build.built_at.toISOString()}: ` +
        `COPY ${build.load_s.toFixed(0)} s, HNSW build ${build.build_s.toFixed(0)} s (load average ${build.load_average}), ` +
        `index ${build.index_mb.toFixed(0)} MB${build.notices ? `; ${build.notices}` : ''}`,
    );

    const nearest = `select id, -(embedding <#> $1::vector) as score from ${table} order by embedding <#> $1::vector limit 1`;
    const search = async (indexed: boolean, efSearch = 40) => {
      await sql.unsafe(`set enable_indexscan = ${indexed ? 'on' : 'off'}`);
      await sql.unsafe(`set hnsw.ef_search = ${efSearch}`);
      const plan = (await sql.unsafe<Record<string, string>[]>(`explain ${nearest}`, [queries[0]]))
        .map((r) => Object.values(r)[0])
        .join(' ');
      if (indexed !== plan.includes(`${table}_hnsw`)) throw new Error(`unexpected plan: ${plan}`);
      const ids: number[] = [];
      const ms: number[] = [];
      const scores: number[] = [];
      for (const q of queries) {
        const start = now();
        const [row] = await sql.unsafe<{ id: number; score: number }[]>(nearest, [q]);
        ms.push(now() - start);
        ids.push(row.id);
        scores.push(row.score);
      }
      return { ids, ms, scores };
    };
    const load = loadavg()[0];
    const exact = await search(false);
    console.log(
      `queries: ${queries.length} held-out LFW photos, one at a time (load average ${load.toFixed(1)}); ` +
        `exact top-1 cosine: median ${quantile(exact.scores, 0.5).toFixed(2)}, ` +
        `${exact.ids.filter((id) => id <= split.rows.length).length} of them a real LFW photo`,
    );
    console.log('| search | p50 ms | p95 ms | recall@1 vs exact |');
    console.log('|---|---|---|---|');
    const row = (label: string, r: { ids: number[]; ms: number[] }) => {
      const hits = r.ids.filter((id, i) => id === exact.ids[i]).length;
      console.log(
        `| ${label} | ${quantile(r.ms, 0.5).toFixed(1)} | ${quantile(r.ms, 0.95).toFixed(1)} | ${((100 * hits) / queries.length).toFixed(1)} % (${hits}/${queries.length}) |`,
      );
    };
    row('exact (sequential scan)', exact);
    for (const ef of EF_SEARCH)
      row(`HNSW, ef_search ${ef}${ef === 40 ? ' (default)' : ''}`, await search(true, ef));
  } finally {
    await sql.end();
  }
}

/** (Re)creates the table with COPY, builds its HNSW index and records the build; returns the record. */
async function buildTable(
  sql: postgres.Sql,
  table: string,
  faceRows: Parameters<typeof benchRows>[0],
  n: number,
  dim: number,
  print: string,
  notices: string[],
): Promise<Build> {
  process.stderr.write(`pgvector: loading ${n} rows into ${DB}.${table}\n`);
  await sql.unsafe(`drop table if exists ${table}`);
  await sql.unsafe(`delete from bench_builds where name = '${table}'`);
  // kept in the row (STORAGE PLAIN), not in TOAST: 512-d vectors pass TOAST's 2 kB threshold, and the exact scan
  // then fetches every vector from the TOAST table (the HNSW index holds its own copy either way)
  await sql.unsafe(`create table ${table} (id int not null, embedding vector(${dim}) not null)`);
  await sql.unsafe(`alter table ${table} alter column embedding set storage plain`);
  let t = now();
  await copyRows(sql, table, benchRows(faceRows, n), dim);
  const loadSeconds = (now() - t) / 1000;
  for (const [key, value] of Object.entries(BUILD_SETTINGS)) await sql.unsafe(`set ${key} = '${value}'`);
  process.stderr.write(`pgvector: COPY took ${loadSeconds.toFixed(0)} s; building HNSW\n`);
  const loads: number[] = [];
  const sampler = setInterval(() => loads.push(loadavg()[0]), 10_000);
  notices.length = 0;
  t = now();
  try {
    await sql.unsafe(`create index ${table}_hnsw on ${table} using hnsw (embedding vector_ip_ops)`);
  } finally {
    clearInterval(sampler);
  }
  const buildSeconds = (now() - t) / 1000;
  await sql.unsafe(`analyze ${table}`);
  const [{ mb }] = await sql.unsafe<{ mb: number }[]>(`select pg_relation_size('${table}_hnsw') / 1e6 as mb`);
  const mean = loads.length ? loads.reduce((a, b) => a + b, 0) / loads.length : loadavg()[0];
  const build = {
    name: table,
    fingerprint: print,
    load_s: loadSeconds,
    build_s: buildSeconds,
    index_mb: Number(mb),
    built_at: new Date(),
    load_average: `${mean.toFixed(1)} mean, ${Math.max(mean, ...loads).toFixed(1)} max`,
    notices: [...new Set(notices)].join('; '),
  };
  await sql`insert into bench_builds ${sql(build)}`;
  return build;
}
