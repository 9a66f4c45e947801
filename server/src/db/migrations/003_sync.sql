-- Device sync (browser kiosks): a per-service change log that devices pull incrementally, filled by triggers so
-- that every writer (API, admin UI, CLI, other processes) is covered, and the recognition events devices push.

create table sync_changes (
  seq bigserial primary key,
  service_id uuid not null,
  kind text not null check (kind in ('subject', 'example')),
  -- the subject's or the example's id
  key uuid not null,
  -- a subject's name before a rename or a delete (devices know subjects by name)
  old_name text,
  at timestamptz not null default now()
);
create index sync_changes_service_seq on sync_changes (service_id, seq);

create function sync_log_subject() returns trigger language plpgsql as $$
begin
  if tg_op = 'INSERT' then
    insert into sync_changes (service_id, kind, key) values (new.service_id, 'subject', new.id);
  elsif tg_op = 'UPDATE' then
    if new.name is distinct from old.name then
      insert into sync_changes (service_id, kind, key, old_name) values (new.service_id, 'subject', new.id, old.name);
      -- devices label examples with the subject's name: every example of a renamed subject changed
      insert into sync_changes (service_id, kind, key)
        select service_id, 'example', id from examples where subject_id = new.id;
    end if;
  else
    insert into sync_changes (service_id, kind, key, old_name) values (old.service_id, 'subject', old.id, old.name);
  end if;
  return null;
end $$;
create trigger subjects_sync after insert or update or delete on subjects
  for each row execute function sync_log_subject();

create function sync_log_example() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' then
    insert into sync_changes (service_id, kind, key) values (old.service_id, 'example', old.id);
  else
    insert into sync_changes (service_id, kind, key) values (new.service_id, 'example', new.id);
  end if;
  return null;
end $$;
create trigger examples_sync after insert or update of subject_id or delete on examples
  for each row execute function sync_log_example();

-- an example is pulled with its embedding, which may be written after the example row (or re-computed)
create function sync_log_embedding() returns trigger language plpgsql as $$
begin
  insert into sync_changes (service_id, kind, key)
    select e.service_id, 'example', e.id from examples e where e.id = new.example_id;
  return null;
end $$;
create trigger embeddings_sync after insert or update on embeddings
  for each row execute function sync_log_embedding();

-- recognition events pushed by devices; (device, event) makes a retried push idempotent
create table sync_events (
  service_id uuid not null references services (id) on delete cascade,
  device_id text not null,
  event_id text not null,
  at timestamptz not null,
  subject text,
  similarity real not null,
  box jsonb not null,
  received_at timestamptz not null default now(),
  primary key (service_id, device_id, event_id)
);
create index sync_events_service_at on sync_events (service_id, at);
