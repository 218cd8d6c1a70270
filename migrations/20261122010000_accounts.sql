-- Accounts and office tenancy (SPEC §1–§3.2, §13, §14–§16): offices, staff, sessions, tokens,
-- invitations, MFA, rate limits, the audit log and the e-mail outbox.

-- §3.2: service types and their default plan review interval. Data, not code: a verified change
-- is a new migration, not a release of the application logic.
create table service_types (
    code text primary key,
    label text not null,
    review_interval_months smallint not null check (review_interval_months between 1 and 12),
    subject_to_reduction boolean not null,
    responsible_title text not null,
    sort_order smallint not null unique
);

insert into service_types (code, label, review_interval_months, subject_to_reduction, responsible_title, sort_order) values
    ('transition_to_employment', '就労移行支援', 3, true, 'サービス管理責任者', 1),
    ('type_A_office', '就労継続支援A型', 6, true, 'サービス管理責任者', 2),
    ('type_B_office', '就労継続支援B型', 6, true, 'サービス管理責任者', 3),
    ('employment_retention', '就労定着支援', 6, true, 'サービス管理責任者', 4),
    ('functional_training', '自立訓練（機能訓練）', 3, true, 'サービス管理責任者', 5),
    ('life_training', '自立訓練（生活訓練）', 3, true, 'サービス管理責任者', 6),
    ('life_care', '生活介護', 6, true, 'サービス管理責任者', 7),
    ('medical_care', '療養介護', 6, true, 'サービス管理責任者', 8),
    ('facility_admission', '施設入所支援', 6, true, 'サービス管理責任者', 9),
    ('group_home', '共同生活援助（グループホーム）', 6, true, 'サービス管理責任者', 10),
    ('independent_living', '自立生活援助', 6, true, 'サービス管理責任者', 11),
    ('child_development', '児童発達支援', 6, true, '児童発達支援管理責任者', 12),
    ('after_school_day', '放課後等デイサービス', 6, true, '児童発達支援管理責任者', 13);

-- §3.1. The field rules live in `shared::office`; the checks here mirror them as a last line.
create table offices (
    id uuid primary key default gen_random_uuid(),
    name text not null check (char_length(name) between 2 and 100),
    name_kana text check (char_length(name_kana) <= 100),
    corporation_name text check (char_length(corporation_name) <= 100),
    office_number text check (office_number ~ '^[0-9]{10}$'),
    postal_code text check (postal_code ~ '^[0-9]{3}-[0-9]{4}$'),
    address text check (char_length(address) <= 500),
    phone_number text,
    fax_number text,
    email citext,
    mfa_required_for_all boolean not null default false,
    withdrawn_at timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);
select kk_manage_updated_at('offices');

create unique index offices_office_number_key on offices (office_number)
    where office_number is not null and withdrawn_at is null;

create table office_service_types (
    office_id uuid not null references offices (id) on delete cascade,
    service_type text not null references service_types (code),
    primary key (office_id, service_type)
);

create type staff_role as enum ('owner', 'manager', 'employee', 'app_admin');

-- One row per account. `office_id` is null for an owner who has not set up the office yet and
-- for app_admins. Secrets (password hash, encrypted TOTP secret) never leave the server.
create table staffs (
    id uuid primary key default gen_random_uuid(),
    office_id uuid references offices (id),
    role staff_role not null,
    email citext not null check (char_length(email) <= 254),
    last_name text not null,
    first_name text not null,
    last_name_kana text not null,
    first_name_kana text not null,
    password_hash text not null,
    password_changed_at timestamptz not null default now(),
    email_verified_at timestamptz,
    mfa_required boolean not null default false,
    mfa_secret bytea,
    mfa_enabled_at timestamptz,
    mfa_last_step bigint,
    passphrase_hash text,
    passphrase_changed_at timestamptz,
    last_login_at timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    deleted_at timestamptz,
    anonymised_at timestamptz,
    check ((role = 'app_admin') <= (office_id is null)),
    check ((mfa_secret is null) = (mfa_enabled_at is null))
);
select kk_manage_updated_at('staffs');

create unique index staffs_email_key on staffs (email) where deleted_at is null;
create index staffs_office_idx on staffs (office_id) where deleted_at is null;

-- The last three password hashes (reset and change refuse them).
create table password_history (
    staff_id uuid not null references staffs (id) on delete cascade,
    password_hash text not null,
    created_at timestamptz not null default now()
);
create index password_history_staff_idx on password_history (staff_id, created_at desc);

-- §2.5
create table terms_agreements (
    id uuid primary key default gen_random_uuid(),
    staff_id uuid not null references staffs (id) on delete cascade,
    terms_version text not null,
    privacy_version text not null,
    agreed_at timestamptz not null default now(),
    ip inet,
    user_agent text check (char_length(user_agent) <= 255)
);
create index terms_agreements_staff_idx on terms_agreements (staff_id, agreed_at desc);

-- Single-use tokens sent by e-mail. Only SHA-256 of the 256-bit value is stored.
create type account_token_purpose as enum ('verify_email', 'password_reset', 'email_change');

create table account_tokens (
    token_hash bytea primary key check (octet_length(token_hash) = 32),
    purpose account_token_purpose not null,
    staff_id uuid not null references staffs (id) on delete cascade,
    -- e-mail change: the address to switch to.
    new_email citext,
    created_at timestamptz not null default now(),
    expires_at timestamptz not null,
    used_at timestamptz,
    request_ip inet,
    request_user_agent text check (char_length(request_user_agent) <= 255),
    check ((purpose = 'email_change') = (new_email is not null))
);
create index account_tokens_staff_idx on account_tokens (staff_id, purpose) where used_at is null;

-- §2.4: one row per login. The refresh token chain lives in `refresh_tokens`.
create table sessions (
    id uuid primary key default gen_random_uuid(),
    staff_id uuid not null references staffs (id) on delete cascade,
    created_at timestamptz not null default now(),
    last_used_at timestamptz not null default now(),
    idle_expires_at timestamptz not null,
    absolute_expires_at timestamptz not null,
    ip inet,
    user_agent text check (char_length(user_agent) <= 255),
    revoked_at timestamptz,
    revoke_reason text
);
create index sessions_staff_live_idx on sessions (staff_id) where revoked_at is null;

-- Every refresh token a session was ever given (SHA-256). Only the newest is live; a superseded
-- one is accepted for a short grace (parallel tabs), after that presenting it revokes the session.
create table refresh_tokens (
    token_hash bytea primary key check (octet_length(token_hash) = 32),
    session_id uuid not null references sessions (id) on delete cascade,
    issued_at timestamptz not null default now(),
    superseded_at timestamptz
);
create unique index refresh_tokens_one_live_idx on refresh_tokens (session_id) where superseded_at is null;

-- §2.3 step 7: the short-lived step between password and TOTP (or first-time MFA setup).
create type pending_login_purpose as enum ('verify', 'setup');

create table pending_logins (
    token_hash bytea primary key check (octet_length(token_hash) = 32),
    staff_id uuid not null references staffs (id) on delete cascade,
    purpose pending_login_purpose not null,
    -- First-time setup: the secret being enrolled (encrypted like `staffs.mfa_secret`).
    setup_secret bytea,
    redirect_to text,
    attempts integer not null default 0,
    created_at timestamptz not null default now(),
    expires_at timestamptz not null,
    used_at timestamptz
);

-- Enrolment in progress from the security settings page (at most one per staff).
create table mfa_enrolments (
    staff_id uuid primary key references staffs (id) on delete cascade,
    secret bytea not null,
    created_at timestamptz not null default now(),
    expires_at timestamptz not null
);

create table mfa_recovery_codes (
    staff_id uuid not null references staffs (id) on delete cascade,
    code_hash bytea not null check (octet_length(code_hash) = 32),
    created_at timestamptz not null default now(),
    used_at timestamptz,
    primary key (staff_id, code_hash)
);

-- §1.1
create type invitation_status as enum ('pending', 'accepted', 'revoked');

create table invitations (
    id uuid primary key default gen_random_uuid(),
    office_id uuid not null references offices (id) on delete cascade,
    email citext not null,
    role staff_role not null check (role <> 'app_admin'),
    display_name text,
    token_hash bytea not null unique check (octet_length(token_hash) = 32),
    invited_by uuid not null references staffs (id),
    status invitation_status not null default 'pending',
    created_at timestamptz not null default now(),
    expires_at timestamptz not null,
    resent_at timestamptz,
    accepted_at timestamptz,
    accepted_staff_id uuid references staffs (id),
    revoked_at timestamptz
);
create unique index invitations_one_pending_idx on invitations (office_id, email) where status = 'pending';

-- §2.9 / §16.4: fixed-window counters shared by every instance.
create table rate_limit_buckets (
    key text not null,
    window_start timestamptz not null,
    hits integer not null,
    primary key (key, window_start)
);

-- §2.9: consecutive failures and locks. `subject` is an HMAC of the normalised e-mail (login) or
-- the staff id bytes (MFA, password change, passphrase), so unknown addresses behave identically.
create table account_locks (
    kind text not null,
    subject bytea not null,
    consecutive integer not null default 0,
    locked_until timestamptz,
    updated_at timestamptz not null default now(),
    primary key (kind, subject)
);

-- In-app notices (the bell and the notices page come with the notification work).
create table notices (
    id uuid primary key default gen_random_uuid(),
    office_id uuid not null references offices (id) on delete cascade,
    staff_id uuid not null references staffs (id) on delete cascade,
    kind text not null,
    title text not null,
    body text not null default '',
    link text,
    created_at timestamptz not null default now(),
    read_at timestamptz
);
create index notices_staff_idx on notices (staff_id, created_at desc);

-- §13. Append-only: the trigger below refuses UPDATE and DELETE unless the retention job says so.
create table audit_logs (
    id bigint generated always as identity primary key,
    occurred_at timestamptz not null default now(),
    actor_staff_id uuid references staffs (id),
    actor_role staff_role,
    action text not null,
    target_type text,
    target_id uuid,
    office_id uuid references offices (id),
    ip inet,
    user_agent text check (char_length(user_agent) <= 255),
    details jsonb not null default '{}'
);
create index audit_logs_office_idx on audit_logs (office_id, occurred_at desc, id desc);

create function kk_audit_logs_append_only() returns trigger
language plpgsql as $$
begin
    if coalesce(current_setting('keikakun.retention_job', true), '') <> 'on' then
        raise exception 'audit_logs is append-only';
    end if;
    return coalesce(old, new);
end;
$$;
create trigger audit_logs_append_only before update or delete on audit_logs
    for each row execute function kk_audit_logs_append_only();

-- §14/§15: every mail is queued here and sent by the outbox worker. Bodies are cleared once sent
-- (they may hold a link with a token).
create type email_status as enum ('queued', 'sending', 'sent', 'failed');

create table email_outbox (
    id uuid primary key default gen_random_uuid(),
    template text not null,
    to_address citext not null,
    subject text not null,
    html_body text,
    text_body text,
    status email_status not null default 'queued',
    attempts integer not null default 0,
    next_attempt_at timestamptz not null default now(),
    claimed_at timestamptz,
    last_error text,
    created_at timestamptz not null default now(),
    sent_at timestamptz
);
create index email_outbox_due_idx on email_outbox (next_attempt_at) where status in ('queued', 'sending');

-- Wakes the outbox workers (LISTEN email_outbox) as soon as a mail is committed.
create function kk_notify_email_outbox() returns trigger
language plpgsql as $$
begin
    perform pg_notify('email_outbox', '');
    return null;
end;
$$;
create trigger email_outbox_notify after insert on email_outbox
    for each statement execute function kk_notify_email_outbox();
