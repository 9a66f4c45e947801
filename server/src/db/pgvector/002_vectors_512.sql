-- The default embedder became faceplugin-recognition (512-d): the vector column follows it. 128-d rows (face-api's
-- ResNet) leave the pgvector table; their `embeddings` rows stay, and the in-memory backend still searches them.
drop index example_vectors_hnsw;
delete from example_vectors;
alter table example_vectors alter column embedding type vector(512);
create index example_vectors_hnsw on example_vectors using hnsw (embedding vector_ip_ops);

create or replace function example_vectors_sync() returns trigger language plpgsql as $$
begin
  if new.dim <> 512 then
    delete from example_vectors where example_id = new.example_id and embedder = new.embedder;
  else
    insert into example_vectors (example_id, embedder, service_id, embedding)
    select new.example_id, new.embedder, e.service_id, visor_f32le_vector(new.vector)
      from examples e where e.id = new.example_id
    on conflict (example_id, embedder) do update set embedding = excluded.embedding;
  end if;
  return null;
end $$;

insert into example_vectors (example_id, embedder, service_id, embedding)
select v.example_id, v.embedder, e.service_id, visor_f32le_vector(v.vector)
  from embeddings v join examples e on e.id = v.example_id
 where v.dim = 512;
