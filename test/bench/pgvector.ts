// Bench section `pgvector`: search in the real PostgreSQL with pgvector's HNSW index (what SEARCH_BACKEND=pgvector
// uses: vector(512), inner product on unit vectors, pgvector's default m = 16, ef_construction = 64) against exact
// search (a sequential scan) on the same rows, in the same run: build time, query latency and recall@1 (how often
// HNSW's first answer is the exact first answer). Vectors are random unit vectors generated in the server (seeded),
// queries are stored vectors plus noise; random 512-d data is a hard case for HNSW (no clusters to follow).
// `--pgvector-size N` (default 100k, quick 20k; 1M takes hours to index on 2 cores).
import postgres from 'postgres';
import { PG_ADMIN_URL } from '../storage/backends.js';
import { now } from './stats.js';

const DIM = 512;

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * p)];

export async function runPgvector(quick: boolean, size?: number): Promise<void> {
  const n = size ?? (quick ? 20_000 : 100_000);
  const queries = quick ? 50 : 200;
  const name = `visor_bench_pgvector_${process.pid}`;
  const admin = postgres(PG_ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  const sql = postgres(url.toString(), { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe('create extension vector');
    const [{ version }] = await sql.unsafe<{ version: string }[]>(
      `select extversion as version from pg_extension where extname = 'vector'`,
    );
    console.log(
      `\n## pgvector ${version} in PostgreSQL: HNSW against exact search, ${n} vectors of ${DIM}-d`,
    );
    let t = now();
    await sql.unsafe(`select setseed(0.42)`);
    await sql.unsafe(`create table bench_vectors (id int primary key, embedding vector(${DIM}) not null)`);
    // generate_series(1, DIM + 0 * i) keeps the inner select correlated: one fresh vector per row
    await sql.unsafe(
      `insert into bench_vectors
       select i, l2_normalize(array(select random() - 0.5 from generate_series(1, ${DIM} + 0 * i))::vector)
         from generate_series(1, ${n}) i`,
    );
    await sql.unsafe(
      `create table bench_queries as
       select q, l2_normalize(v.embedding + array(select (random() - 0.5) * 0.08 from generate_series(1, ${DIM} + 0 * q))::vector) as embedding
         from generate_series(1, ${queries}) q join bench_vectors v on v.id = 1 + (q * 7919) % ${n}`,
    );
    const loadSeconds = (now() - t) / 1000;
    await sql.unsafe(`set maintenance_work_mem = '1GB'`);
    t = now();
    await sql.unsafe(`create index bench_hnsw on bench_vectors using hnsw (embedding vector_ip_ops)`);
    const buildSeconds = (now() - t) / 1000;
    const [{ mb }] = await sql.unsafe<{ mb: string }[]>(
      `select round(pg_relation_size('bench_hnsw') / 1e6) as mb`,
    );
    await sql.unsafe('analyze bench_vectors');

    const nearest = `select id from bench_vectors
      order by embedding <#> (select embedding from bench_queries where q = $1) limit 1`;
    const search = async (indexed: boolean, efSearch = 40) => {
      await sql.unsafe(`set enable_indexscan = ${indexed ? 'on' : 'off'}`);
      await sql.unsafe(`set hnsw.ef_search = ${efSearch}`);
      const plan = (await sql.unsafe<Record<string, string>[]>(`explain ${nearest}`, [1]))
        .map((r) => Object.values(r)[0])
        .join(' ');
      if (indexed !== plan.includes('bench_hnsw')) throw new Error(`unexpected plan: ${plan}`);
      const ids: number[] = [];
      const ms: number[] = [];
      for (let q = 1; q <= queries; q++) {
        const start = now();
        const [row] = await sql.unsafe<{ id: number }[]>(nearest, [q]);
        ms.push(now() - start);
        ids.push(row.id);
      }
      return { ids, ms };
    };
    const exact = await search(false);
    console.log(`load ${loadSeconds.toFixed(0)} s; HNSW build ${buildSeconds.toFixed(0)} s, index ${mb} MB`);
    console.log('| search | p50 ms | p95 ms | recall@1 vs exact |');
    console.log('|---|---|---|---|');
    const row = (label: string, r: { ids: number[]; ms: number[] }) => {
      const hits = r.ids.filter((id, i) => id === exact.ids[i]).length;
      console.log(
        `| ${label} | ${pct(r.ms, 0.5).toFixed(1)} | ${pct(r.ms, 0.95).toFixed(1)} | ${((100 * hits) / queries).toFixed(1)} % (${hits}/${queries}) |`,
      );
    };
    row('exact (sequential scan)', exact);
    row('HNSW, ef_search 40 (default)', await search(true, 40));
    row('HNSW, ef_search 100', await search(true, 100));
  } finally {
    await sql.end();
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}
