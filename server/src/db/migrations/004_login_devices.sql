-- Server secrets generated on first use (e.g. the HMAC key of the log-in device cookies), shared by every
-- server on the same database.
create table if not exists server_secrets (
  name text primary key,
  value text not null,
  created_at timestamptz not null default now()
);
