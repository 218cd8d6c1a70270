-- CSV import (SPEC §4.6): a dry run is bound to the staff member and the file's SHA-256 for 30
-- minutes; 「取り込む」 sends the same file again with the preview's id. The file itself is not kept.

create table csv_import_previews (
    id uuid primary key default gen_random_uuid(),
    office_id uuid not null references offices (id) on delete cascade,
    staff_id uuid not null references staffs (id) on delete cascade,
    file_sha256 bytea not null check (octet_length(file_sha256) = 32),
    rows integer not null,
    created_at timestamptz not null default now(),
    expires_at timestamptz not null default now() + interval '30 minutes',
    used_at timestamptz
);
create index csv_import_previews_staff_idx on csv_import_previews (staff_id, created_at desc);

alter table csv_import_previews enable row level security;
alter table csv_import_previews force row level security;
create policy tenant_isolation on csv_import_previews using (office_id = kk_tenant_office())
    with check (office_id = kk_tenant_office());
grant select, insert, update, delete on csv_import_previews to keikakun_tenant;
