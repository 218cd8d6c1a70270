-- Employee approval requests (SPEC §1.2): an employee's recipient write waits here, with its full
-- validated payload, until a manager or owner of the same office approves (and the write runs
-- then, in the approving transaction) or rejects it.

create type approval_status as enum ('pending', 'approved', 'rejected', 'withdrawn', 'expired');

create table approval_requests (
    id uuid primary key default gen_random_uuid(),
    office_id uuid not null references offices (id) on delete cascade,
    requester_id uuid not null references staffs (id),
    resource_type text not null default 'employee_action' check (resource_type = 'employee_action'),
    action_type text not null check (action_type in
        ('create', 'update', 'archive', 'restore', 'delete', 'set_next_plan_start_days')),
    -- The recipient (NULL for create until approved: then the new recipient's id).
    resource_id uuid references recipients (id),
    -- `shared::approval::EmployeeAction` as JSON: the normalised input that parsed.
    payload jsonb not null,
    -- The recipient's version the employee read (update, archive, restore, delete).
    base_version integer,
    note text check (char_length(note) <= 500),
    status approval_status not null default 'pending',
    reviewed_by uuid references staffs (id),
    reviewed_at timestamptz,
    reviewer_notes text check (char_length(reviewer_notes) <= 500),
    -- What the approved write produced (`{"id": …, "version": …}`); never field values.
    execution_result jsonb,
    created_at timestamptz not null default now(),
    check ((action_type in ('create', 'set_next_plan_start_days')) = (base_version is null)),
    check (status not in ('approved', 'rejected') or (reviewed_by is not null and reviewed_at is not null))
);
create index approval_requests_office_idx on approval_requests (office_id, status, created_at desc);
create index approval_requests_requester_idx on approval_requests (requester_id, created_at desc);

alter table approval_requests enable row level security;
alter table approval_requests force row level security;
create policy tenant_isolation on approval_requests using (office_id = kk_tenant_office())
    with check (office_id = kk_tenant_office());
grant select, insert, update, delete on approval_requests to keikakun_tenant;

-- Notices that belong to a request: the approvers' `employee_action_pending` notices are marked
-- resolved (kept, not deleted) when the request is decided (§1.2, §9.1).
alter table notices
    add column approval_request_id uuid references approval_requests (id) on delete set null,
    add column resolved_at timestamptz;
create index notices_approval_request_idx on notices (approval_request_id)
    where approval_request_id is not null;
grant select (id, office_id, kind, approval_request_id, resolved_at), update (resolved_at)
    on notices to keikakun_tenant;
