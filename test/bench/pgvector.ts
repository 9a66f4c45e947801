// Bench section `pgvector`: search in the real PostgreSQL with pgvector's HNSW index (what SEARCH_BACKEND=pgvector
// uses: vector(512), inner product on unit vectors, pgvector's default m = 16, ef_construction = 64) against exact
// search (a sequential scan) on the same rows, in the same run: query latency and recall@1 (how often HNSW's first
// answer is the exact first answer), and the build time. Rows: LFW View 1's faces and synthetic faces made from them
// (pgvector-data.ts); queries: the held-out LFW photos, real faces the index has never seen. Tables and indexes are
// kept and reused while their fingerprint matches (pgvector-store.ts), so a 1M index is built once (~18 minutes on
// 2 loaded cores); `--pgvector-rebuild` builds afresh. `--pgvector-size N` (default 100k, quick 20k);
// `--pgvector-halfvec` adds a halfvec(512) expression index (16-bit floats) over the same rows.
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import type postgres from 'postgres';
import { runChild } from './child.js';
import { fingerprint, rowPeople } from './pgvector-data.js';
import { buildIndex, DB, loadTable, openBenchDb, reusable, type Build } from './pgvector-store.js';
import { LFW_DIR, readFaces, splitFaces } from './search-faces.js';
import { now, quantile } from './stats.js';

const EF_SEARCH = [40, 100, 200];

export interface PgvectorOptions {
  quick: boolean;
  size?: number;
  rebuild: boolean;
  /** Also a halfvec (16-bit) HNSW index over the same rows: half the index memory. */
  halfvec: boolean;
}

interface Searched {
  ids: number[];
  ms: number[];
  scores: number[];
}

export async function runPgvector({ quick, size, rebuild, halfvec }: PgvectorOptions): Promise<void> {
  const n = size ?? (quick ? 20_000 : 100_000);
  if (!existsSync(LFW_DIR)) throw new Error(`needs LFW View 1 (${LFW_DIR}) for its rows and queries`);
  // the default embedder's LFW embeddings, cached by the search section (computed here on first use: minutes)
  const base = await runChild<string>('./search-faces.ts', [], 3_600_000);
  const { set, rows } = await readFaces(base);
  const split = splitFaces(set, rows);
  const queries = split.queries.slice(0, quick ? 50 : 100).map((q) => `[${q.join(',')}]`);
  const dim = set.dim;

  const notices: string[] = [];
  const sql = await openBenchDb(notices);
  try {
    const [{ version }] = await sql<{ version: string }[]>`
      select extversion as version from pg_extension where extname = 'vector'`;
    const table = `rows_${dim}_${n}`;
    const print = fingerprint(
      split.rows,
      n,
      `vector(${dim}) hnsw m=16 ef_construction=64 pgvector ${version}`,
    );
    const indexes = [
      { name: `${table}_hnsw`, expression: 'embedding', ops: 'vector_ip_ops', cast: 'vector', print },
      ...(halfvec
        ? [
            {
              name: `${table}_hnsw_half`,
              expression: `(embedding::halfvec(${dim}))`,
              ops: 'halfvec_ip_ops',
              cast: `halfvec(${dim})`,
              print: `${print} halfvec`,
            },
          ]
        : []),
    ];
    // the table is (re)loaded when its vector index cannot be reused; every index is then built afresh
    const first = rebuild ? undefined : await reusable(sql, indexes[0].name, print);
    const loadSeconds = first?.load_s ?? (await loadTable(sql, table, split.rows, n));
    const builds: { build: Build; reused: boolean }[] = [];
    for (const [i, index] of indexes.entries()) {
      const found = i === 0 ? first : first && (await reusable(sql, index.name, index.print));
      builds.push(
        found
          ? { build: found, reused: true }
          : {
              build: await buildIndex(
                sql,
                { ...index, table, fingerprint: index.print, load_s: loadSeconds },
                notices,
              ),
              reused: false,
            },
      );
    }
    const [{ count }] = await sql.unsafe<{ count: string }[]>(`select count(*) from ${table}`);
    if (Number(count) !== n)
      throw new Error(`${table} holds ${count} rows, expected ${n}: run with --pgvector-rebuild`);

    console.log(
      `\n## pgvector ${version} in PostgreSQL: HNSW against exact search, ${n.toLocaleString('en-US')} embeddings of ${dim}-d`,
    );
    for (const { build, reused } of builds)
      console.log(
        `${build.name} (${DB}), ${reused ? 'reused' : 'built in this run'}, built ${build.built_at.toISOString()}: ` +
          `table COPY ${build.load_s.toFixed(0)} s, HNSW build ${build.build_s.toFixed(0)} s ` +
          `(load average ${build.load_average}), index ${build.index_mb.toFixed(0)} MB` +
          (build.notices ? `; ${build.notices}` : ''),
      );

    const load = loadavg()[0];
    const exact = await search(sql, table, queries, indexes[0], undefined);
    console.log(
      `queries: ${queries.length} held-out LFW photos, one at a time (load average ${load.toFixed(1)}); ` +
        `exact top-1 cosine: median ${quantile(exact.scores, 0.5).toFixed(2)}, ` +
        `${exact.ids.filter((id) => id <= split.rows.length).length} of them a real LFW photo`,
    );
    const runs: { label: string; r: Searched }[] = [{ label: 'exact (sequential scan)', r: exact }];
    for (const index of indexes)
      for (const ef of EF_SEARCH)
        runs.push({
          label: `HNSW ${index.cast}, ef_search ${ef}${ef === 40 ? ' (default)' : ''}`,
          r: await search(sql, table, queries, index, ef),
        });
    const people = rowPeople(
      split.rows,
      n,
      runs.flatMap(({ r }) => r.ids),
    );
    console.log(
      '| search | p50 ms | p95 ms | recall@1 vs exact | same person as exact | cosine lost (p95) |',
    );
    console.log('|---|---|---|---|---|---|');
    for (const { label, r } of runs) {
      const hits = r.ids.filter((id, i) => id === exact.ids[i]).length;
      const same = r.ids.filter((id, i) => people.get(id) === people.get(exact.ids[i])).length;
      const lost = quantile(
        r.scores.map((s, i) => exact.scores[i] - s),
        0.95,
      );
      const share = (k: number) => `${((100 * k) / queries.length).toFixed(0)} % (${k}/${queries.length})`;
      console.log(
        `| ${label} | ${quantile(r.ms, 0.5).toFixed(1)} | ${quantile(r.ms, 0.95).toFixed(1)} | ${share(hits)} | ${share(same)} | ${lost.toFixed(3)} |`,
      );
    }
    console.log(`load average at the end: ${loadavg()[0].toFixed(1)}`);
  } finally {
    await sql.end();
  }
}

/** Top-1 of every query, one at a time: through `index` at `efSearch`, or exact (a sequential scan) without one. */
async function search(
  sql: postgres.Sql,
  table: string,
  queries: string[],
  index: { name: string; expression: string; cast: string },
  efSearch: number | undefined,
): Promise<Searched> {
  const indexed = efSearch !== undefined;
  await sql.unsafe(`set enable_indexscan = ${indexed ? 'on' : 'off'}`);
  await sql.unsafe(`set hnsw.ef_search = ${efSearch ?? 40}`);
  const distance = `${index.expression} <#> $1::${index.cast}`;
  const nearest = `select id, -(embedding <#> $1::vector) as score from ${table} order by ${distance} limit 1`;
  const plan = (await sql.unsafe<Record<string, string>[]>(`explain ${nearest}`, [queries[0]]))
    .map((r) => Object.values(r)[0])
    .join(' ');
  if (indexed !== new RegExp(`\\b${index.name}\\b`).test(plan)) throw new Error(`unexpected plan: ${plan}`);
  const out: Searched = { ids: [], ms: [], scores: [] };
  for (const q of queries) {
    const start = now();
    const [row] = await sql.unsafe<{ id: number; score: number }[]>(nearest, [q]);
    out.ms.push(now() - start);
    out.ids.push(row.id);
    out.scores.push(row.score);
  }
  return out;
}
