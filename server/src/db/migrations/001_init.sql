-- Face-service storage: applications, services (API keys), subjects, examples, their images and embeddings.

create table applications (
  id uuid primary key,
  name text not null,
  created_at timestamptz not null default now()
);

create table services (
  id uuid primary key,
  application_id uuid not null references applications (id) on delete cascade,
  api_key uuid not null unique,
  type text not null check (type in ('recognition', 'detection', 'verification')),
  name text not null,
  -- null: use the server's MIN_SIMILARITY
  min_similarity real check (min_similarity between 0 and 1),
  created_at timestamptz not null default now()
);
create index services_application on services (application_id);

create table subjects (
  id uuid primary key,
  service_id uuid not null references services (id) on delete cascade,
  name text not null check (char_length(name) between 1 and 50),
  created_at timestamptz not null default now()
);
-- subject names compare case-insensitively within a service
create unique index subjects_service_name on subjects (service_id, lower(name));

-- a face example: CompreFace's image_id is the example id
create table examples (
  id uuid primary key,
  service_id uuid not null references services (id) on delete cascade,
  subject_id uuid not null references subjects (id) on delete cascade,
  content_type text not null,
  -- relative to VISOR_DATA_DIR/images when the image is not stored in example_images
  image_path text,
  created_at timestamptz not null default now()
);
create index examples_service_created on examples (service_id, created_at, id);
create index examples_subject on examples (subject_id);

create table example_images (
  example_id uuid primary key references examples (id) on delete cascade,
  data bytea not null
);

-- one embedding per example and embedder model, so a model change is detected and re-embedding is possible
create table embeddings (
  example_id uuid not null references examples (id) on delete cascade,
  embedder text not null,
  dim integer not null,
  -- dim float32 values, little-endian, L2-normalised
  vector bytea not null,
  created_at timestamptz not null default now(),
  primary key (example_id, embedder)
);
create index embeddings_embedder on embeddings (embedder);
