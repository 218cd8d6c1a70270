-- Background job runs (SPEC §15): one row per (job, run key). The instance that inserts it runs
-- the job and heartbeats; a run without heartbeat for 5 minutes may be taken over; a failed run
-- is retried a few times. Not tenant data: jobs that touch tenant tables open tenant
-- transactions office by office.

create type job_status as enum ('running', 'succeeded', 'failed');

create table job_runs (
    job text not null,
    run_key text not null,
    status job_status not null default 'running',
    -- The instance (random per process start) that runs it now.
    instance uuid not null,
    attempts integer not null default 1,
    started_at timestamptz not null default now(),
    heartbeat_at timestamptz not null default now(),
    finished_at timestamptz,
    -- How many items the run handled.
    items bigint,
    duration_ms bigint,
    -- What failed (an error class and message; never row contents).
    error text,
    primary key (job, run_key),
    check ((status = 'running') = (finished_at is null))
);
create index job_runs_started_idx on job_runs (started_at);
