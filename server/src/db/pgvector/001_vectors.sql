-- pgvector search (SEARCH_BACKEND=pgvector): every 128-d embedding again as vector(128), with an HNSW index on
-- inner product (the embeddings are L2-normalised, so it ranks like cosine). A trigger keeps it in step with
-- `embeddings` whoever writes there (the API, sync, application copies); deletes cascade from `embeddings`.
create extension if not exists vector;

-- `embeddings.vector` holds float32 little-endian: decoded here bit by bit (no cast from bytea exists).
create function visor_f32le_vector(b bytea) returns vector
language sql immutable strict parallel safe as $$
  select array_agg(
           (case when e = 0 then m * 2::float8 ^ -149 else (1 + m * 2::float8 ^ -23) * 2::float8 ^ (e - 127) end)
           * (1 - 2 * s) order by i)::real[]::vector
    from (select i,
                 get_byte(b, 4 * i + 3) >> 7 as s,
                 ((get_byte(b, 4 * i + 3) & 127) << 1) | (get_byte(b, 4 * i + 2) >> 7) as e,
                 ((get_byte(b, 4 * i + 2) & 127) << 16) | (get_byte(b, 4 * i + 1) << 8) | get_byte(b, 4 * i) as m
            from generate_series(0, length(b) / 4 - 1) as i) f
$$;

create table example_vectors (
  example_id uuid not null,
  embedder text not null,
  service_id uuid not null references services (id) on delete cascade,
  embedding vector(128) not null,
  primary key (example_id, embedder),
  foreign key (example_id, embedder) references embeddings (example_id, embedder) on delete cascade
);
create index example_vectors_hnsw on example_vectors using hnsw (embedding vector_ip_ops);
create index example_vectors_service on example_vectors (service_id, embedder);

create function example_vectors_sync() returns trigger language plpgsql as $$
begin
  if new.dim <> 128 then
    delete from example_vectors where example_id = new.example_id and embedder = new.embedder;
  else
    insert into example_vectors (example_id, embedder, service_id, embedding)
    select new.example_id, new.embedder, e.service_id, visor_f32le_vector(new.vector)
      from examples e where e.id = new.example_id
    on conflict (example_id, embedder) do update set embedding = excluded.embedding;
  end if;
  return null;
end $$;
create trigger embeddings_vectors after insert or update on embeddings
  for each row execute function example_vectors_sync();

-- the embeddings written before
insert into example_vectors (example_id, embedder, service_id, embedding)
select v.example_id, v.embedder, e.service_id, visor_f32le_vector(v.vector)
  from embeddings v join examples e on e.id = v.example_id
 where v.dim = 128;
