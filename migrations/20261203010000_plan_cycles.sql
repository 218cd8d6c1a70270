-- Support-plan cycles (SPEC §6) and the office settings that feed their deadlines (§3.2–3.3).
--
-- A recipient has cycles 1..n, exactly one of them latest; each cycle has the five steps, done
-- strictly in order. Deadlines are never stored: the views at the end compute them from current
-- data and JST "today", so a settings change applies at once.

-- §3.3: the settings the deadline formulas and the order guard read.
alter table offices
    add column next_plan_start_days_default smallint not null default 7
        check (next_plan_start_days_default between 7 and 30),
    add column first_plan_due_months smallint not null default 1
        check (first_plan_due_months between 1 and 2),
    add column monitoring_lead_days smallint not null default 30
        check (monitoring_lead_days between 0 and 90),
    add column order_guard text not null default 'block' check (order_guard in ('block', 'warn'));

-- §3.3 見直し間隔（月）: an office's override of the §3.2 interval for one service type.
create table office_review_intervals (
    office_id uuid not null references offices (id) on delete cascade,
    service_type text not null references service_types (code),
    months smallint not null check (months between 1 and 6),
    primary key (office_id, service_type)
);
grant select on office_review_intervals to keikakun_tenant;

create type plan_cycle_status as enum ('open', 'closed', 'ended');
-- Declared in their legal order: `min(step)` is the earliest.
create type plan_step as enum
    ('assessment', 'draft_plan', 'staff_meeting', 'final_plan_signed', 'monitoring');
create type plan_step_status as enum ('incomplete', 'completed', 'migrated');

create table plan_cycles (
    id uuid primary key default gen_random_uuid(),
    office_id uuid not null,
    recipient_id uuid not null,
    cycle_number integer not null check (cycle_number >= 1),
    cycle_start_date date not null,
    -- アセスメント開始期限 = cycle_start_date + this many days (§6.4).
    next_plan_start_days smallint not null check (next_plan_start_days between 7 and 30),
    status plan_cycle_status not null default 'open',
    is_latest boolean not null default true,
    -- §6.8: months of 未作成減算 recorded when the plan was delivered after its due date.
    gap_months smallint check (gap_months >= 0),
    created_at timestamptz not null default now(),
    closed_at timestamptz,
    unique (recipient_id, cycle_number),
    unique (id, office_id),
    foreign key (recipient_id, office_id) references recipients (id, office_id) on delete cascade,
    -- open and ended cycles are the latest; closed ones never are.
    check ((status = 'closed') <> is_latest),
    check ((status = 'closed') = (closed_at is not null))
);
create unique index plan_cycles_latest_idx on plan_cycles (recipient_id) where is_latest;
create index plan_cycles_office_latest_idx on plan_cycles (office_id, recipient_id) where is_latest;

create table plan_steps (
    cycle_id uuid not null,
    office_id uuid not null,
    step plan_step not null,
    status plan_step_status not null default 'incomplete',
    -- The step's own date: 面接実施日, 原案作成日, 開催日, 交付日 or モニタリング実施日.
    step_date date,
    -- 「本人との面接を実施した」 (assessment, monitoring).
    interview_done boolean,
    -- 「本人（家族）に交付した」 (final_plan_signed).
    handed_over boolean,
    performed_by uuid references staffs (id),
    -- The name at that moment: part of the record, survives the account's anonymisation.
    performed_by_name text check (char_length(performed_by_name) <= 101),
    participants text check (char_length(participants) <= 500),
    counselling_delivered_date date,
    -- The document version that completed the step (foreign key with the documents).
    document_version_id uuid,
    -- §6.6: {"rules": [...], "reason": …, "by": …, "by_name": …, "at": …} when G1–G3 were
    -- overridden (or, with order_guard = warn, noted without a reason).
    order_exception jsonb,
    completed_at timestamptz,
    completed_by uuid references staffs (id),
    primary key (cycle_id, step),
    foreign key (cycle_id, office_id) references plan_cycles (id, office_id) on delete cascade,
    check ((status = 'completed') = (completed_at is not null))
);
-- §6.8 書類不備 and the 順序例外 filter look for these few rows only.
create index plan_steps_issue_idx on plan_steps (cycle_id)
    where order_exception is not null
       or (status = 'completed' and (document_version_id is null or step_date is null));

-- §6.7: the consent to the cycle's current 原案, recorded before step 4 completes.
create table plan_consents (
    cycle_id uuid primary key,
    office_id uuid not null,
    -- The 原案 version consented to (foreign key with the documents); a newer draft version
    -- makes the consent stale.
    draft_version_id uuid not null,
    consent_date date not null,
    consenter_name text not null check (char_length(consenter_name) between 1 and 50),
    consenter_relation text not null
        check (consenter_relation in ('self', 'family', 'guardian', 'other')),
    consenter_relation_other text check (char_length(consenter_relation_other) between 1 and 50),
    method text not null check (method in ('paper', 'electronic')),
    electronic_prior_consent_date date,
    order_exception jsonb,
    recorded_by uuid not null references staffs (id),
    recorded_by_name text not null,
    recorded_at timestamptz not null default now(),
    foreign key (cycle_id, office_id) references plan_cycles (id, office_id) on delete cascade,
    check ((consenter_relation = 'other') = (consenter_relation_other is not null)),
    check ((method = 'electronic') = (electronic_prior_consent_date is not null)),
    check (electronic_prior_consent_date <= consent_date)
);

-- Row-level security as for the recipients (see 20261201010000_recipients.sql).
do $$
declare
    t text;
begin
    foreach t in array array['plan_cycles', 'plan_steps', 'plan_consents']
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

-- Recipients registered before cycles existed get cycle 1 (§6.2) from their registration day:
-- archived ones ended, deleted ones open (a restore continues it). The migration's role owns
-- the recipients table, which forces row-level security on its owner too: lift that for the copy.
alter table recipients no force row level security;
alter table plan_cycles no force row level security;
alter table plan_steps no force row level security;
insert into plan_cycles (office_id, recipient_id, cycle_number, cycle_start_date,
                         next_plan_start_days, status)
select r.office_id, r.id, 1, (r.created_at at time zone 'Asia/Tokyo')::date,
       o.next_plan_start_days_default,
       case when r.status = 'archived' then 'ended' else 'open' end::plan_cycle_status
from recipients r
join offices o on o.id = r.office_id;
insert into plan_steps (cycle_id, office_id, step)
select c.id, c.office_id, s.step
from plan_cycles c
cross join unnest(enum_range(null::plan_step)) as s (step);
alter table recipients force row level security;
alter table plan_cycles force row level security;
alter table plan_steps force row level security;

-- §0 / §6.4 formulas, as functions so every query and the table-driven test use the same ones.
-- JST "today".
create function kk_today_jst() returns date
language sql stable as $$ select (now() at time zone 'Asia/Tokyo')::date $$;

-- `add_months` clamped at the month end (1/31 + 1 month = 2/28 or 2/29): PostgreSQL's interval
-- arithmetic clamps this way.
create function kk_add_months(d date, months integer) returns date
language sql immutable strict as $$ select (d + make_interval(months => months))::date $$;

-- 計画の有効期限: add_months(交付日, I) − 1 day.
create function kk_valid_until(delivered date, interval_months integer) returns date
language sql immutable strict as $$ select kk_add_months(delivered, interval_months) - 1 $$;

-- 計画作成期限: cycle 1 from the contract date (or the cycle start without one); cycle k ≥ 2 the
-- validity end of cycle k − 1 (NULL while that plan was never delivered).
create function kk_plan_due_date(
    cycle_number integer,
    contract_date date,
    first_plan_due_months integer,
    cycle_start_date date,
    interval_months integer,
    previous_delivered date
) returns date
language sql immutable as $$
    select case
        when cycle_number = 1 and contract_date is not null
            then kk_add_months(contract_date, first_plan_due_months) - 1
        when cycle_number = 1
            then kk_add_months(cycle_start_date, interval_months) - 1
        else kk_valid_until(previous_delivered, interval_months)
    end
$$;

-- Calendar months from the month of `from_date` through the month of `to_date`, both counted
-- (§6.8: the month of a 減算 gap's start is month 1).
create function kk_months_inclusive(from_date date, to_date date) returns integer
language sql immutable strict as $$
    select (extract(year from to_date)::integer * 12 + extract(month from to_date)::integer)
         - (extract(year from from_date)::integer * 12 + extract(month from from_date)::integer) + 1
$$;

-- Per cycle: its current step, dates and deadlines. `security_invoker`: row-level security of the
-- tables applies to whoever reads the view.
create view plan_cycle_deadlines with (security_invoker = true) as
select c.id as cycle_id,
       c.office_id,
       c.recipient_id,
       c.cycle_number,
       c.status,
       c.is_latest,
       c.cycle_start_date,
       c.next_plan_start_days,
       c.gap_months,
       st.current_step,
       st.delivered_date,
       st.meeting_done,
       st.monitoring_date,
       st.issue,
       previous.delivered_date as previous_delivered_date,
       coalesce(ori.months, t.review_interval_months)::integer as interval_months,
       kk_plan_due_date(c.cycle_number, r.contract_date, o.first_plan_due_months,
                        c.cycle_start_date, coalesce(ori.months, t.review_interval_months),
                        previous.delivered_date) as plan_due_date,
       kk_valid_until(st.delivered_date, coalesce(ori.months, t.review_interval_months))
           as valid_until,
       o.monitoring_lead_days
from plan_cycles c
join recipients r on r.id = c.recipient_id and r.office_id = c.office_id
join offices o on o.id = c.office_id
join service_types t on t.code = r.service_type
left join office_review_intervals ori
    on ori.office_id = c.office_id and ori.service_type = r.service_type
cross join lateral (
    select min(s.step) filter (where s.status = 'incomplete') as current_step,
           max(s.step_date) filter (where s.step = 'final_plan_signed' and s.status <> 'incomplete')
               as delivered_date,
           coalesce(bool_or(s.step = 'staff_meeting' and s.status <> 'incomplete'), false)
               as meeting_done,
           max(s.step_date) filter (where s.step = 'monitoring' and s.status = 'completed')
               as monitoring_date,
           -- §6.8 書類不備: a completed step without its document or date, or an order exception.
           coalesce(bool_or(s.order_exception is not null
                            or (s.status = 'completed'
                                and (s.document_version_id is null or s.step_date is null))),
                    false) as issue
    from plan_steps s
    where s.cycle_id = c.id
) st
left join lateral (
    select s.step_date as delivered_date
    from plan_cycles p
    join plan_steps s on s.cycle_id = p.id and s.step = 'final_plan_signed'
    where p.recipient_id = c.recipient_id and p.cycle_number = c.cycle_number - 1
      and s.status <> 'incomplete'
) previous on true;

-- Per recipient (latest cycle): the deadlines of the dashboard, alerts and calendar, and the
-- §6.8 減算 risk. "The delivering cycle" is the latest one while its plan is undelivered, else
-- the next one (not created yet, nothing done): either way it has not delivered, so `gap` and
-- `watch` depend on the renewal date alone, and `high` on whether the latest undelivered cycle
-- held its 担当者会議.
create view recipient_deadlines with (security_invoker = true) as
select d.recipient_id,
       d.office_id,
       d.cycle_id,
       d.cycle_number,
       d.status as cycle_status,
       d.current_step,
       d.cycle_start_date,
       d.plan_due_date,
       d.delivered_date,
       d.valid_until,
       -- 次回更新日
       coalesce(d.valid_until, d.plan_due_date) as renewal_date,
       coalesce(d.valid_until, d.plan_due_date) - kk_today_jst() as days_to_renewal,
       -- アセスメント開始期限, while the assessment is incomplete
       case when d.current_step = 'assessment'
            then d.cycle_start_date + d.next_plan_start_days end as assessment_start_deadline,
       -- モニタリング期限, while the current step is monitoring
       case when d.current_step = 'monitoring'
            then d.valid_until - d.monitoring_lead_days end as monitoring_due_date,
       case
           when r.status <> 'active' or not t.subject_to_reduction then 'ok'
           when coalesce(d.valid_until, d.plan_due_date) < kk_today_jst() then 'gap'
           when coalesce(d.valid_until, d.plan_due_date) - kk_today_jst() <= 14
                and (d.delivered_date is not null or not d.meeting_done) then 'high'
           when coalesce(d.valid_until, d.plan_due_date) - kk_today_jst() <= 30 then 'watch'
           else 'ok'
       end as deadline_risk,
       -- §6.8 month count m of a gap (month of 次回更新日 + 1 day through this month).
       case when coalesce(d.valid_until, d.plan_due_date) < kk_today_jst()
            then kk_months_inclusive(coalesce(d.valid_until, d.plan_due_date) + 1, kk_today_jst())
       end as gap_month,
       -- §6.8 書類不備 in any cycle (a step's or a consent's order exception counts).
       exists (select 1 from plan_cycles c2
               join plan_steps s2 on s2.cycle_id = c2.id
               where c2.recipient_id = d.recipient_id
                 and (s2.order_exception is not null
                      or (s2.status = 'completed'
                          and (s2.document_version_id is null or s2.step_date is null))))
           or exists (select 1 from plan_cycles c2
                      join plan_consents pc on pc.cycle_id = c2.id
                      where c2.recipient_id = d.recipient_id and pc.order_exception is not null)
           as docs_issue,
       -- §6.5 順序例外: an exception in the latest two cycles.
       exists (select 1 from plan_cycles c2
               join plan_steps s2 on s2.cycle_id = c2.id
               where c2.recipient_id = d.recipient_id and c2.cycle_number >= d.cycle_number - 1
                 and s2.order_exception is not null)
           or exists (select 1 from plan_cycles c2
                      join plan_consents pc on pc.cycle_id = c2.id
                      where c2.recipient_id = d.recipient_id
                        and c2.cycle_number >= d.cycle_number - 1
                        and pc.order_exception is not null)
           as order_exception
from plan_cycle_deadlines d
join recipients r on r.id = d.recipient_id and r.office_id = d.office_id
join service_types t on t.code = r.service_type
where d.is_latest;

grant select on plan_cycle_deadlines, recipient_deadlines to keikakun_tenant;
