-- アセスメント (SPEC §5): every entry of the six sections of one recipient. The fields of each
-- section live in `shared::assessment` (one parser for the browser and the server); `data` holds
-- the normalised form of the entry as that parser produced it.

create table assessment_entries (
    id uuid primary key default gen_random_uuid(),
    office_id uuid not null references offices (id),
    recipient_id uuid not null references recipients (id),
    section text not null check (section in
        ('family', 'service_history', 'medical', 'hospital_visit', 'employment', 'issue_analysis')),
    data jsonb not null check (jsonb_typeof(data) = 'object'),
    -- Optimistic locking: updates and deletes name the version they read.
    version integer not null default 1,
    created_by uuid not null references staffs (id),
    updated_by uuid not null references staffs (id),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);
create index assessment_entries_recipient_idx on assessment_entries (recipient_id, section, created_at);
-- The one-per-recipient sections (医療の基本事項, 就労関係, 課題分析).
create unique index assessment_entries_single_idx on assessment_entries (recipient_id, section)
    where section in ('medical', 'employment', 'issue_analysis');

alter table assessment_entries enable row level security;
alter table assessment_entries force row level security;
create policy tenant_isolation on assessment_entries using (office_id = kk_tenant_office())
    with check (office_id = kk_tenant_office());
grant select, insert, update, delete on assessment_entries to keikakun_tenant;
select kk_manage_updated_at('assessment_entries');
