-- §1.3: a staff member asks an owner for a higher role.
create type role_request_status as enum ('pending', 'approved', 'rejected', 'withdrawn');

create table role_change_requests (
    id uuid primary key default gen_random_uuid(),
    office_id uuid not null references offices (id) on delete cascade,
    staff_id uuid not null references staffs (id) on delete cascade,
    from_role staff_role not null,
    to_role staff_role not null check (to_role in ('manager', 'owner')),
    note text check (char_length(note) <= 500),
    status role_request_status not null default 'pending',
    reviewed_by uuid references staffs (id),
    reviewed_at timestamptz,
    reviewer_notes text check (char_length(reviewer_notes) <= 500),
    created_at timestamptz not null default now()
);
create unique index role_change_requests_one_pending_idx on role_change_requests (staff_id) where status = 'pending';
create index role_change_requests_office_idx on role_change_requests (office_id, created_at desc);
