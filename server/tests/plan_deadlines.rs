//! The deadline formulas of SPEC §6.4, table-driven against the SQL functions every query uses,
//! and the deadline view over recipients registered through the server functions: month-end
//! clamping, leap years, 3- and 6-month intervals, office overrides, migrated plans.

mod support;

use sqlx::PgPool;
use support::{
    people::{enable_mfa, owner},
    plan::{create_recipient as create, recipient},
    spawn_app,
};
use time::{Date, macros::date};
use uuid::Uuid;

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn every_formula_clamps_at_the_month_end(pool: PgPool) {
    // add_months − 1 day: 計画の有効期限 from 交付日 and the interval.
    let valid_until: &[(Date, i32, Date)] = &[
        (date!(2026 - 04 - 20), 6, date!(2026 - 10 - 19)),
        (date!(2026 - 04 - 20), 3, date!(2026 - 07 - 19)),
        (date!(2026 - 01 - 01), 6, date!(2026 - 06 - 30)),
        // 8/31 + 6 months is 2/29 in a leap year, 2/28 otherwise.
        (date!(2027 - 08 - 31), 6, date!(2028 - 02 - 28)),
        (date!(2026 - 08 - 31), 6, date!(2027 - 02 - 27)),
        (date!(2026 - 11 - 30), 3, date!(2027 - 02 - 27)),
        (date!(2027 - 11 - 30), 3, date!(2028 - 02 - 28)),
        (date!(2026 - 12 - 31), 1, date!(2027 - 01 - 30)),
    ];
    for (delivered, months, expected) in valid_until {
        let got: Date = sqlx::query_scalar("select kk_valid_until($1, $2)")
            .bind(delivered)
            .bind(months)
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(got, *expected, "valid_until({delivered}, {months})");
    }

    // 計画作成期限: (cycle, contract, first_plan_due_months, cycle start, interval, previous 交付日).
    type Due = (
        i32,
        Option<Date>,
        i32,
        Date,
        i32,
        Option<Date>,
        Option<Date>,
    );
    let start = date!(2026 - 05 - 15);
    let plan_due: &[Due] = &[
        // Cycle 1 from the contract date, one or two months.
        (
            1,
            Some(date!(2026 - 04 - 01)),
            1,
            start,
            6,
            None,
            Some(date!(2026 - 04 - 30)),
        ),
        (
            1,
            Some(date!(2026 - 01 - 31)),
            1,
            start,
            6,
            None,
            Some(date!(2026 - 02 - 27)),
        ),
        (
            1,
            Some(date!(2028 - 01 - 31)),
            1,
            start,
            6,
            None,
            Some(date!(2028 - 02 - 28)),
        ),
        (
            1,
            Some(date!(2026 - 12 - 31)),
            2,
            start,
            6,
            None,
            Some(date!(2027 - 02 - 27)),
        ),
        // Cycle 1 without a contract date: cycle start + the interval.
        (1, None, 1, start, 3, None, Some(date!(2026 - 08 - 14))),
        (1, None, 1, start, 6, None, Some(date!(2026 - 11 - 14))),
        // Cycle k ≥ 2: the previous plan's validity end; none while it was never delivered.
        (
            2,
            Some(date!(2026 - 04 - 01)),
            1,
            start,
            6,
            Some(date!(2026 - 04 - 20)),
            Some(date!(2026 - 10 - 19)),
        ),
        (
            3,
            None,
            1,
            start,
            3,
            Some(date!(2026 - 11 - 30)),
            Some(date!(2027 - 02 - 27)),
        ),
        (2, None, 1, start, 6, None, None),
    ];
    for (cycle, contract, first_months, start, months, previous, expected) in plan_due {
        let got: Option<Date> =
            sqlx::query_scalar("select kk_plan_due_date($1, $2, $3, $4, $5, $6)")
                .bind(cycle)
                .bind(contract)
                .bind(first_months)
                .bind(start)
                .bind(months)
                .bind(previous)
                .fetch_one(&pool)
                .await
                .unwrap();
        assert_eq!(
            got, *expected,
            "plan_due_date(cycle {cycle}, {contract:?}, {previous:?})"
        );
    }
}

#[derive(Debug, PartialEq, sqlx::FromRow)]
struct Deadlines {
    cycle_number: i32,
    current_step: String,
    plan_due_date: Option<Date>,
    valid_until: Option<Date>,
    renewal_date: Option<Date>,
    assessment_start_deadline: Option<Date>,
    monitoring_due_date: Option<Date>,
}

async fn deadlines(pool: &PgPool, id: Uuid) -> Deadlines {
    sqlx::query_as(
        "select cycle_number, current_step::text as current_step, plan_due_date, valid_until,
                renewal_date, assessment_start_deadline, monitoring_due_date
         from recipient_deadlines where recipient_id = $1",
    )
    .bind(id)
    .fetch_one(pool)
    .await
    .unwrap()
}

async fn today(pool: &PgPool) -> Date {
    sqlx::query_scalar("select kk_today_jst()")
        .fetch_one(pool)
        .await
        .unwrap()
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn the_deadline_view_follows_the_data_and_the_office_settings(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let owner = owner(&app, "owner@example.jp", Some("ひまわり作業所")).await;
    enable_mfa(&owner).await;
    let mut owner = owner;
    owner.refresh_csrf().await;
    let office: Uuid = sqlx::query_scalar("select id from offices")
        .fetch_one(&pool)
        .await
        .unwrap();
    sqlx::query("insert into office_service_types values ($1, 'transition_to_employment')")
        .bind(office)
        .execute(&pool)
        .await
        .unwrap();
    let today = today(&pool).await;

    // A new registration: cycle 1, assessment current, due one month after the contract.
    let new = create(
        &owner,
        recipient("山田", "type_B_office", "2026-01-31", None),
    )
    .await;
    assert_eq!(
        deadlines(&pool, new).await,
        Deadlines {
            cycle_number: 1,
            current_step: "assessment".into(),
            plan_due_date: Some(date!(2026 - 02 - 27)),
            valid_until: None,
            renewal_date: Some(date!(2026 - 02 - 27)),
            assessment_start_deadline: Some(today + time::Duration::days(7)),
            monitoring_due_date: None,
        }
    );

    // A migrated plan delivered 2026-08-31: steps 1–4 移行データ, monitoring current; 6 months
    // for 就労継続支援B型, 3 for 就労移行支援.
    let migrated_b = create(
        &owner,
        recipient("鈴木", "type_B_office", "2026-04-01", Some("2026-08-31")),
    )
    .await;
    let migrated_t = create(
        &owner,
        recipient(
            "佐藤",
            "transition_to_employment",
            "2026-04-01",
            Some("2026-08-31"),
        ),
    )
    .await;
    let b = deadlines(&pool, migrated_b).await;
    assert_eq!(
        (
            b.current_step.as_str(),
            b.valid_until,
            b.renewal_date,
            b.monitoring_due_date,
            b.assessment_start_deadline
        ),
        (
            "monitoring",
            Some(date!(2027 - 02 - 27)),
            Some(date!(2027 - 02 - 27)),
            Some(date!(2027 - 01 - 28)),
            None
        )
    );
    let statuses: Vec<String> = sqlx::query_scalar(
        "select s.status::text from plan_steps s join plan_cycles c on c.id = s.cycle_id
         where c.recipient_id = $1 order by s.step",
    )
    .bind(migrated_b)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        statuses,
        ["migrated", "migrated", "migrated", "migrated", "incomplete"]
    );
    assert_eq!(
        deadlines(&pool, migrated_t).await.valid_until,
        Some(date!(2026 - 11 - 29))
    );

    // Settings apply at once: a 3-month override for B型, two months for the first plan, 14
    // days of monitoring lead, 30 days to start the assessment.
    sqlx::query("insert into office_review_intervals values ($1, 'type_B_office', 3)")
        .bind(office)
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query(
        "update offices set first_plan_due_months = 2, monitoring_lead_days = 14,
             next_plan_start_days_default = 30 where id = $1",
    )
    .bind(office)
    .execute(&pool)
    .await
    .unwrap();
    let b = deadlines(&pool, migrated_b).await;
    assert_eq!(
        (b.valid_until, b.monitoring_due_date),
        (Some(date!(2026 - 11 - 29)), Some(date!(2026 - 11 - 15)))
    );
    assert_eq!(
        deadlines(&pool, new).await.plan_due_date,
        Some(date!(2026 - 03 - 30))
    );
    // The default is read when a cycle starts; the running cycle keeps its own days.
    assert_eq!(
        deadlines(&pool, new).await.assessment_start_deadline,
        Some(today + time::Duration::days(7))
    );
}
