-- Plan documents (SPEC §7.1–7.5, §7.9): one document per (cycle, type), versions 1..n kept as
-- tombstones when deleted, and the two tables that keep storage and rows in step — upload
-- intents (an object may exist before its row) and the storage outbox (a row is gone, its object
-- still has to be deleted).

create type document_type as enum (
    'assessment_sheet', 'draft_plan_pdf', 'staff_meeting_minutes', 'final_plan_signed_pdf',
    'monitoring_report_pdf', 'consent_certificate');
create type document_source as enum ('uploaded', 'generated', 'econsent');

create table plan_documents (
    id uuid primary key default gen_random_uuid(),
    office_id uuid not null,
    recipient_id uuid not null,
    cycle_id uuid not null,
    doc_type document_type not null,
    created_at timestamptz not null default now(),
    unique (cycle_id, doc_type),
    unique (id, office_id),
    foreign key (cycle_id, office_id) references plan_cycles (id, office_id) on delete cascade,
    foreign key (recipient_id, office_id) references recipients (id, office_id) on delete cascade
);
create index plan_documents_recipient_idx on plan_documents (office_id, recipient_id);

create table document_versions (
    id uuid primary key default gen_random_uuid(),
    office_id uuid not null,
    document_id uuid not null,
    version integer not null check (version >= 1),
    source document_source not null default 'uploaded',
    -- ids only (§7.2): offices/{office}/recipients/{recipient}/cycles/{cycle}/{type}/{document}/v{n}.pdf
    storage_key text not null unique,
    -- The sanitised display name (§7.2); never part of the storage key.
    file_name text not null check (char_length(file_name) between 5 and 120),
    byte_size bigint not null check (byte_size between 5 and 10485760),
    sha256 bytea not null check (length(sha256) = 32),
    -- 修正理由 (§7.3).
    reason text check (char_length(reason) between 1 and 200),
    uploaded_by uuid references staffs (id),
    uploaded_by_name text not null,
    uploaded_at timestamptz not null default now(),
    -- A deleted version stays as a tombstone (§7.5): who, when, why; its object goes through
    -- the storage outbox.
    deleted_at timestamptz,
    deleted_by uuid references staffs (id),
    delete_reason text check (char_length(delete_reason) between 1 and 200),
    unique (document_id, version),
    unique (id, office_id),
    foreign key (document_id, office_id) references plan_documents (id, office_id) on delete cascade,
    check ((deleted_at is null) = (deleted_by is null))
);
-- 「PDF一覧」 (§7.8): the office's live versions, newest first.
create index document_versions_office_idx on document_versions (office_id, uploaded_at desc)
    where deleted_at is null;
create index document_versions_name_idx on document_versions using gin (file_name gin_trgm_ops);

alter table plan_steps
    add foreign key (document_version_id, office_id) references document_versions (id, office_id);
alter table plan_consents
    add foreign key (draft_version_id, office_id) references document_versions (id, office_id);

do $$
declare
    t text;
begin
    foreach t in array array['plan_documents', 'document_versions']
    loop
        execute format('alter table %I enable row level security', t);
        execute format('alter table %I force row level security', t);
        execute format(
            'create policy tenant_isolation on %I using (office_id = kk_tenant_office())
             with check (office_id = kk_tenant_office())', t);
        execute format('grant select, insert, update, delete on %I to keikakun_tenant', t);
    end loop;
end
$$;

-- §7.9 phase 2: an object about to be stored. Committed before the PutObject and deleted in the
-- transaction that inserts the version row, so an object without a row always has an intent
-- (or an outbox entry) naming it; the sweeper removes objects of intents older than an hour.
create table upload_intents (
    id uuid primary key default gen_random_uuid(),
    office_id uuid not null references offices (id) on delete cascade,
    storage_key text not null unique,
    -- The version number it holds (so a concurrent upload to the same document takes the next).
    document_id uuid not null,
    version integer not null,
    created_at timestamptz not null default now()
);
create index upload_intents_created_idx on upload_intents (created_at);

-- §7.5 / §15 `storage_outbox`: objects to delete, enqueued in the transaction that removed their
-- row; the worker deletes them with retries (a missing key counts as deleted).
create type storage_outbox_status as enum ('queued', 'done', 'failed');
create table storage_outbox (
    id uuid primary key default gen_random_uuid(),
    office_id uuid not null references offices (id) on delete cascade,
    storage_key text not null,
    reason text not null check (reason in ('version_deleted', 'upload_abandoned')),
    status storage_outbox_status not null default 'queued',
    attempts integer not null default 0,
    next_attempt_at timestamptz not null default now(),
    -- The worker's class of failure, never row contents.
    last_error text,
    created_at timestamptz not null default now(),
    done_at timestamptz,
    check ((status = 'done') = (done_at is not null))
);
create index storage_outbox_due_idx on storage_outbox (next_attempt_at) where status = 'queued';

-- Tenant transactions write both (keys hold ids only); row-level security limits them to the
-- office. The policies are not forced: the storage jobs, running as the owner, see every office.
do $$
declare
    t text;
begin
    foreach t in array array['upload_intents', 'storage_outbox']
    loop
        execute format('alter table %I enable row level security', t);
        execute format(
            'create policy tenant_isolation on %I using (office_id = kk_tenant_office())
             with check (office_id = kk_tenant_office())', t);
        execute format('grant select, insert, delete on %I to keikakun_tenant', t);
    end loop;
end
$$;
