-- Several nodes on one database (issue 17.1): the node running an embedder job holds a lease on it, renewed while
-- it works; a node that starts, or looks again later, resumes only a job whose lease has lapsed (its node died).
alter table embedder_jobs
  add column owner text,
  add column heartbeat_at timestamptz;
