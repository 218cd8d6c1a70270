-- §12.2: the snapshot kept when an owner removes a staff member, until the legal retention ends.
create table archived_staffs (
    id uuid primary key,
    staff_id uuid not null references staffs (id),
    office_id uuid references offices (id),
    office_name text not null,
    anonymised_name text not null,
    email text not null,
    role staff_role not null,
    hired_at timestamptz not null,
    terminated_at timestamptz not null,
    reason text not null,
    legal_retention_until timestamptz not null,
    metadata jsonb not null default '{}',
    created_at timestamptz not null default now()
);
create index archived_staffs_office_idx on archived_staffs (office_id);
