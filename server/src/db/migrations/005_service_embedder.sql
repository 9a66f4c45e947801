-- The embedder each face service's collection uses (issue 17.1): recognition, verification, the search index
-- and device sync compare embeddings of this model only. Services created before keep the embedder they used.
alter table services
  add column embedder text not null default 'faceplugin-recognition',
  add column embedder_version integer not null default 1;

-- A change of embedder re-embeds the collection from its stored images in the background; the service keeps
-- answering with its current embedder until the new one covers the collection, then switches in one update.
create table embedder_jobs (
  service_id uuid primary key references services (id) on delete cascade,
  embedder text not null,
  embedder_version integer not null,
  state text not null check (state in ('running', 'done', 'failed')),
  total integer not null default 0,
  done integer not null default 0,
  failed integer not null default 0,
  error text,
  started_at timestamptz not null default now(),
  finished_at timestamptz
);
