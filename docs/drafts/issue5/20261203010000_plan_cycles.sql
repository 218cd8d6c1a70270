-- Support-plan cycles (SPEC §6) and the office settings that feed their deadlines (§3.2–3.3).
--
-- A recipient has cycles 1..n, exactly one of them latest; each cycle has the five steps, done
-- strictly in order. Deadlines are never stored: the view `plan_deadlines` computes them from
-- current data, so a settings change applies at once.

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
create type plan_step as enum
    ('assessment', 'draft_plan', 'staff_meeting', 'final_plan_signed', 'monitoring');
create type plan_step_status as enum ('incomplete', 'completed', 'migrated');

create table plan_cycles (
    id uuid primary key default gen_random_uuid(),
    office_id uuid not null references offices (id),
    recipient_id uuid not null references recipients (id),
    cycle_number integer not null check (cycle_number >= 1),
    cycle_start_date date not null,
    next_plan_start_days smallint not null check (next_plan_start_days between 7 and 30),
    status plan_cycle_status not null default 'open',
    is_latest boolean not null default true,
    -- §6.8: months of 未作成減算 recorded when the plan was finally delivered late.
    gap_months smallint check (gap_months >= 0),
    created_at timestamptz not null default now(),
    unique (recipient_id, cycle_number),
    check (status <> 'open' or is_latest)
);
create unique index plan_cycles_latest_idx on plan_cycles (recipient_id) where is_latest;
create index plan_cycles_office_idx on plan_cycles (office_id) where is_latest;

create table plan_steps (
    id uuid primary key default gen_random_uuid(),
    office_id uuid not null references offices (id),
    cycle_id uuid not null references plan_cycles (id) on delete cascade,
    step plan_step not null,
    status plan_step_status not null default 'incomplete',
    -- The step's date: 面接実施日, 原案作成日, 開催日, 交付日 or モニタリング実施日.
    step_date date,
    interview_done boolean,
    performed_by uuid references staffs (id),
    -- The name at that moment: part of the record, survives the account's anonymisation.
    performed_by_name text check (char_length(performed_by_name) <= 101),
    participants text check (char_length(participants) <= 500),
    counselling_delivered_date date,
    -- §6.6: {"rules": [...], "reason": …, "by": …, "by_name": …, "at": …} when a guard was overridden.
    order_exception jsonb,
    completed_at timestamptz,
    completed_by uuid references staffs (id),
    unique (cycle_id, step),
    check ((status = 'incomplete') = (completed_at is null) or status = 'migrated')
);

-- Recipients registered before cycles existed get cycle 1 (§6.2) from their registration day.
-- The migration's role may own the tables without bypassing row-level security: lift `force`
-- for the copy.
alter table recipients no force row level security;
insert into plan_cycles (office_id, recipient_id, cycle_number, cycle_start_date,
                         next_plan_start_days, status)
select r.office_id, r.id, 1, (r.created_at at time zone 'Asia/Tokyo')::date,
       o.next_plan_start_days_default,
       case when r.status = 'archived' then 'ended' else 'open' end::plan_cycle_status
from recipients r
join offices o on o.id = r.office_id;
alter table recipients force row level security;
insert into plan_steps (office_id, cycle_id, step)
select c.office_id, c.id, s.step
from plan_cycles c
cross join unnest(enum_range(null::plan_step)) as s (step);

do $$
declare
    t text;
begin
    foreach t in array array['plan_cycles', 'plan_steps']
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

-- §6.4 formulas, as functions so every query and the table-driven test use the same ones.
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
       cur.step as current_step,
       delivered.step_date as delivered_date,
       coalesce(ori.months, st.review_interval_months)::integer as interval_months,
       kk_plan_due_date(c.cycle_number, r.contract_date, o.first_plan_due_months,
                        c.cycle_start_date, coalesce(ori.months, st.review_interval_months),
                        previous.step_date) as plan_due_date,
       kk_valid_until(delivered.step_date, coalesce(ori.months, st.review_interval_months))
           as valid_until,
       o.monitoring_lead_days
from plan_cycles c
join recipients r on r.id = c.recipient_id
join offices o on o.id = c.office_id
join service_types st on st.code = r.service_type
left join office_review_intervals ori
    on ori.office_id = c.office_id and ori.service_type = r.service_type
left join lateral (
    select s.step from plan_steps s
    where s.cycle_id = c.id and s.status = 'incomplete'
    order by s.step limit 1
) cur on true
left join plan_steps delivered
    on delivered.cycle_id = c.id and delivered.step = 'final_plan_signed'
   and delivered.status <> 'incomplete'
left join lateral (
    select s.step_date from plan_cycles p
    join plan_steps s on s.cycle_id = p.id and s.step = 'final_plan_signed'
    where p.recipient_id = c.recipient_id and p.cycle_number = c.cycle_number - 1
      and s.status <> 'incomplete'
) previous on true;

-- Per recipient (latest cycle): the deadlines of the dashboard, alerts and calendar.
create view recipient_deadlines with (security_invoker = true) as
select d.recipient_id,
       d.office_id,
       d.cycle_id,
       d.cycle_number,
       d.current_step,
       d.plan_due_date,
       d.valid_until,
       -- 次回更新日
       coalesce(d.valid_until, d.plan_due_date) as renewal_date,
       -- アセスメント開始期限, while the assessment is incomplete
       case when d.current_step = 'assessment'
            then d.cycle_start_date + d.next_plan_start_days end as assessment_start_deadline,
       -- モニタリング期限, while the current step is monitoring
       case when d.current_step = 'monitoring'
            then d.valid_until - d.monitoring_lead_days end as monitoring_due_date,
       coalesce(d.valid_until, d.plan_due_date) - kk_today_jst() as days_to_renewal
from plan_cycle_deadlines d
where d.is_latest;
grant select on plan_cycle_deadlines, recipient_deadlines to keikakun_tenant;
