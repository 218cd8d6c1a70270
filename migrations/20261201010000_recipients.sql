-- Recipients (SPEC §4): the profile of the five-step wizard, emergency contacts, 手帳・年金 entries,
-- assigned staff; row-level security for tenant data (SPEC §16.7).
--
-- Field rules live in `shared::recipient`; the checks here mirror the closed sets and shapes as a
-- last line of defence. Option values are text (the stored values of the shared enums).

-- §16.7: tenant tables are read and written as `keikakun_tenant` (no BYPASSRLS) with
-- `app.office_id` set for the transaction; see `app::ssr::tenant`. The role is cluster-wide, so
-- several databases (tests) may create it at once.
do $$
begin
    create role keikakun_tenant nologin;
exception
    when duplicate_object or unique_violation then null;
end
$$;
grant usage on schema public to keikakun_tenant;
-- The application's own login role switches to it (`set local role`).
do $$
begin
    execute format('grant keikakun_tenant to %I', current_user);
exception
    when others then null; -- a superuser needs no grant
end
$$;
-- Tenant queries join these shared tables (read only) and write the audit log and notices in
-- the same transaction.
grant select on service_types, offices, office_service_types, staffs to keikakun_tenant;
grant insert on audit_logs, notices to keikakun_tenant;

-- The office of the current tenant transaction (NULL outside one: policies then match nothing).
create function kk_tenant_office() returns uuid
language sql stable as $$
    select nullif(current_setting('app.office_id', true), '')::uuid
$$;

create table recipients (
    id uuid primary key default gen_random_uuid(),
    office_id uuid not null references offices (id),
    status text not null default 'active' check (status in ('active', 'archived', 'deleted')),
    -- Optimistic locking (§4.1): every update increments it and names the version it read.
    version integer not null default 1,
    -- Step 1
    last_name text not null check (char_length(last_name) between 1 and 50),
    first_name text not null check (char_length(first_name) between 1 and 50),
    last_name_kana text not null check (char_length(last_name_kana) between 1 and 50),
    first_name_kana text not null check (char_length(first_name_kana) between 1 and 50),
    -- Lower-cased, katakana folded to hiragana, spaces removed: what the search matches (§4.4).
    search_text text not null,
    birth_date date not null check (birth_date >= date '1900-01-01'),
    gender text not null check (gender in ('male', 'female', 'other')),
    service_type text not null references service_types (code),
    contract_date date check (contract_date >= birth_date),
    certificate_number text check (certificate_number ~ '^[0-9]{10}$'),
    counselling_office text check (char_length(counselling_office) <= 100),
    self_plan boolean not null default false check (not (self_plan and counselling_office is not null)),
    -- Step 2 (NULL only for CSV imports flagged `profile_incomplete`, §4.6)
    postal_code text check (postal_code ~ '^[0-9]{3}-[0-9]{4}$'),
    address text check (char_length(address) <= 200),
    form_of_residence text check (form_of_residence in
        ('home_with_family', 'home_alone', 'group_home', 'institution', 'hospital', 'other')),
    form_of_residence_other_text text check (char_length(form_of_residence_other_text) <= 100),
    means_of_transportation text check (means_of_transportation in
        ('walk', 'bicycle', 'motorbike', 'car_self', 'car_transport', 'public_transport',
         'welfare_transport', 'other')),
    means_of_transportation_other_text text
        check (char_length(means_of_transportation_other_text) <= 100),
    tel text,
    -- Step 4
    disability_or_disease_name text check (char_length(disability_or_disease_name) <= 200),
    livelihood_protection text check (livelihood_protection in
        ('not_receiving', 'receiving_with_allowance', 'receiving_without_allowance', 'applying',
         'planning')),
    special_remarks text check (char_length(special_remarks) <= 2000),
    profile_incomplete boolean not null default false,
    -- §4.3 archive
    end_date date,
    end_reason text check (end_reason in
        ('general_employment', 'other_service', 'moved', 'admitted', 'wish', 'death', 'other')),
    end_reason_text text check (char_length(end_reason_text) <= 200),
    last_service_date date check (last_service_date <= end_date),
    deleted_at timestamptz,
    created_by uuid references staffs (id),
    updated_by uuid references staffs (id),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    unique (id, office_id),
    check ((form_of_residence = 'other') = (form_of_residence_other_text is not null)
           or form_of_residence is null),
    check ((means_of_transportation = 'other') = (means_of_transportation_other_text is not null)
           or means_of_transportation is null),
    check ((status = 'deleted') = (deleted_at is not null)),
    check ((status = 'archived') = (end_date is not null and end_reason is not null)),
    check (profile_incomplete or (address is not null and form_of_residence is not null
           and means_of_transportation is not null and tel is not null
           and disability_or_disease_name is not null and livelihood_protection is not null))
);
select kk_manage_updated_at('recipients');

-- The list (§4.4): one office, one state, ordered by furigana; ties by id.
create index recipients_list_idx
    on recipients (office_id, status, last_name_kana, first_name_kana, id);
-- The duplicate guard (§4.5).
create index recipients_duplicate_idx
    on recipients (office_id, last_name, first_name, birth_date) where status <> 'deleted';

create table recipient_staff (
    recipient_id uuid not null,
    office_id uuid not null,
    staff_id uuid not null references staffs (id),
    primary key (recipient_id, staff_id),
    foreign key (recipient_id, office_id) references recipients (id, office_id) on delete cascade
);
create index recipient_staff_staff_idx on recipient_staff (staff_id);

create table emergency_contacts (
    recipient_id uuid not null,
    office_id uuid not null,
    priority smallint not null check (priority between 1 and 3),
    last_name text not null check (char_length(last_name) between 1 and 50),
    first_name text not null check (char_length(first_name) between 1 and 50),
    last_name_kana text not null check (char_length(last_name_kana) between 1 and 50),
    first_name_kana text not null check (char_length(first_name_kana) between 1 and 50),
    relationship text not null check (relationship in
        ('父', '母', '配偶者', '子', '兄弟姉妹', '相談支援専門員', 'ケースワーカー', '医療機関',
         '友人・知人', 'その他')),
    relationship_other_text text check (char_length(relationship_other_text) <= 50),
    tel text not null,
    address text check (char_length(address) <= 200),
    notes text check (char_length(notes) <= 500),
    primary key (recipient_id, priority),
    foreign key (recipient_id, office_id) references recipients (id, office_id) on delete cascade,
    check ((relationship = 'その他') = (relationship_other_text is not null))
);

create table disability_details (
    recipient_id uuid not null,
    office_id uuid not null,
    position smallint not null check (position between 1 and 10),
    category text not null check (category in
        ('physical_handbook', 'intellectual_handbook', 'mental_health_handbook',
         'disability_basic_pension', 'other_disability_pension', 'public_assistance')),
    grade text check (char_length(grade) <= 10),
    physical_disability_type text check (physical_disability_type in
        ('visual', 'hearing', 'limb', 'internal', 'other')),
    physical_disability_type_other_text text
        check (char_length(physical_disability_type_other_text) <= 100),
    application_status text not null check (application_status in
        ('acquired', 'applying', 'planning', 'not_applicable')),
    primary key (recipient_id, position),
    unique (recipient_id, category),
    foreign key (recipient_id, office_id) references recipients (id, office_id) on delete cascade,
    check (physical_disability_type is null or category = 'physical_handbook'),
    check ((physical_disability_type = 'other') = (physical_disability_type_other_text is not null)
           or physical_disability_type is null),
    check (application_status <> 'acquired' or grade is not null)
);

-- Row-level security: the policy is the tenant filter; `force` applies it to the table owner too.
do $$
declare
    t text;
begin
    foreach t in array array['recipients', 'recipient_staff', 'emergency_contacts', 'disability_details']
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
