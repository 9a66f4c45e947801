-- Administration: users and their sessions, application members with roles, e-mail tokens,
-- failed log-ins (brute-force limits) and daily request counts per face service.

create table users (
  id uuid primary key,
  email text not null,
  first_name text not null default '',
  last_name text not null default '',
  -- Argon2id PHC string
  password_hash text not null,
  role text not null check (role in ('OWNER', 'ADMINISTRATOR', 'USER')),
  email_confirmed boolean not null default false,
  created_at timestamptz not null default now()
);
create unique index users_email on users (lower(email));
-- exactly one global owner (the first user; ownership can be handed over)
create unique index users_single_owner on users ((role)) where role = 'OWNER';

create table sessions (
  -- SHA-256 (hex) of the cookie value: a database dump does not yield live sessions
  token_hash text primary key,
  user_id uuid not null references users (id) on delete cascade,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index sessions_user on sessions (user_id);
create index sessions_expires on sessions (expires_at);

create table application_members (
  application_id uuid not null references applications (id) on delete cascade,
  user_id uuid not null references users (id) on delete cascade,
  role text not null check (role in ('OWNER', 'ADMINISTRATOR', 'USER')),
  created_at timestamptz not null default now(),
  primary key (application_id, user_id)
);
create index application_members_user on application_members (user_id);

create table email_tokens (
  -- SHA-256 (hex) of the token sent by e-mail
  token_hash text primary key,
  user_id uuid not null references users (id) on delete cascade,
  purpose text not null check (purpose in ('confirm', 'reset')),
  expires_at timestamptz not null,
  created_at timestamptz not null default now()
);
create index email_tokens_user on email_tokens (user_id, purpose);

-- one row per failed log-in (or password-reset request); rows older than the window are pruned
create table login_failures (
  account text not null,
  address text not null,
  at timestamptz not null default now()
);
create index login_failures_account on login_failures (account, at);
create index login_failures_address on login_failures (address, at);
create index login_failures_at on login_failures (at);

create table service_requests (
  service_id uuid not null references services (id) on delete cascade,
  day date not null,
  count bigint not null,
  primary key (service_id, day)
);
