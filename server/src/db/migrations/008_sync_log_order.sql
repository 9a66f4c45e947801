-- Devices pull a service's change log by sequence number (003_sync.sql). A sequence number is taken when the row
-- is written, not when its transaction commits: with two writers on one service, the later one could commit first,
-- a device pull past it, and the earlier one's change (a lower number) never reach that device. Now each service's
-- log has one writer at a time: the triggers take the service's log lock (held until commit) before numbering a
-- change, so a service's changes commit in the order of their numbers. The collection store takes the same lock
-- first in each of its write transactions, deletions of services included (so the lock is always taken before the
-- rows it writes: no deadlock), and a write that finds its service deleted meanwhile is refused cleanly.
-- A service that is being deleted logs nothing: its devices have nothing left to pull.

-- Takes service's log lock (until the transaction ends), then says whether the service still exists: false when it
-- was deleted, by this transaction or by one that held the lock before (a deletion takes it first too).
create function sync_log_lock(service uuid) returns boolean language plpgsql as $$
begin
  -- two-key advisory locks ('sync', the service) do not collide with the one-key locks used elsewhere
  perform pg_advisory_xact_lock(1937337955, hashtext(service::text));
  return exists (select 1 from services where id = service);
end $$;

create or replace function sync_log_subject() returns trigger language plpgsql as $$
begin
  if tg_op = 'INSERT' then
    if sync_log_lock(new.service_id) then
      insert into sync_changes (service_id, kind, key) values (new.service_id, 'subject', new.id);
    end if;
  elsif tg_op = 'UPDATE' then
    if new.name is distinct from old.name and sync_log_lock(new.service_id) then
      insert into sync_changes (service_id, kind, key, old_name) values (new.service_id, 'subject', new.id, old.name);
      -- devices label examples with the subject's name: every example of a renamed subject changed
      insert into sync_changes (service_id, kind, key)
        select service_id, 'example', id from examples where subject_id = new.id;
    end if;
  elsif sync_log_lock(old.service_id) then
    insert into sync_changes (service_id, kind, key, old_name) values (old.service_id, 'subject', old.id, old.name);
  end if;
  return null;
end $$;

create or replace function sync_log_example() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' then
    if sync_log_lock(old.service_id) then
      insert into sync_changes (service_id, kind, key) values (old.service_id, 'example', old.id);
    end if;
  elsif sync_log_lock(new.service_id) then
    insert into sync_changes (service_id, kind, key) values (new.service_id, 'example', new.id);
  end if;
  return null;
end $$;

create or replace function sync_log_embedding() returns trigger language plpgsql as $$
declare
  service uuid;
begin
  select e.service_id into service from examples e where e.id = new.example_id;
  if service is not null and sync_log_lock(service) then
    insert into sync_changes (service_id, kind, key) values (service, 'example', new.example_id);
  end if;
  return null;
end $$;
