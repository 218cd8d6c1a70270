//! 「利用者ダッシュボード」 (SPEC §8) over recipients in every deadline state: the counter cards,
//! each filter of §6.5, search, sort, paging and the typed refusal of unknown values.

mod support;

use serde_json::Value;
use sqlx::PgPool;
use support::{
    Browser,
    people::{enable_mfa, invited, owner},
    plan::{create_recipient, recipient},
    spawn_app,
};
use time::{Duration, OffsetDateTime};

fn ago(days: i64) -> String {
    let today = shared::dates::jst_date(OffsetDateTime::now_utc());
    shared::dates::format_date_iso(today - Duration::days(days))
}

async fn dashboard(browser: &Browser, query: &str) -> (u16, Value) {
    let r = browser.get(&format!("/api/dashboard?{query}")).await;
    (r.status().as_u16(), r.json().await.unwrap())
}

fn names(page: &Value) -> Vec<String> {
    page["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["name"]
                .as_str()
                .unwrap()
                .split(' ')
                .next()
                .unwrap()
                .to_owned()
        })
        .collect()
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn counters_filters_sort_and_paging(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let mut owner = owner(&app, "owner@example.jp", Some("ひまわり作業所")).await;
    enable_mfa(&owner).await;
    owner.refresh_csrf().await;
    sqlx::query("insert into office_service_types select id, 'life_care' from offices")
        .execute(&pool)
        .await
        .unwrap();
    // Migrated plans (6-month interval) delivered so that the renewal has passed, is a week
    // away, three weeks away, or months away; two new registrations (cycle 1, assessment).
    let cases = [
        ("青木", Some(200)),
        ("井上", Some(175)),
        ("上田", Some(165)),
        ("江藤", Some(30)),
    ];
    for (name, delivered) in cases {
        create_recipient(
            &owner,
            recipient(
                name,
                "type_B_office",
                &ago(400),
                delivered.map(ago).as_deref(),
            ),
        )
        .await;
    }
    // Due one month after the contract: in ~3 weeks, and a month ago.
    create_recipient(&owner, recipient("小野", "life_care", &ago(5), None)).await;
    create_recipient(&owner, recipient("加藤", "type_B_office", &ago(60), None)).await;

    let (status, all) = dashboard(&owner, "").await;
    assert_eq!(status, 200, "{all}");
    let counts = &all["counts"];
    assert_eq!(
        (
            counts["overdue"].as_u64(),
            counts["upcoming"].as_u64(),
            counts["assessment_incomplete"].as_u64(),
            counts["risk"].as_u64(),
            counts["docs"].as_u64(),
            counts["total"].as_u64(),
            counts["matching"].as_u64(),
        ),
        (
            Some(2),
            Some(3),
            Some(2),
            Some(3),
            Some(0),
            Some(6),
            Some(6)
        )
    );
    // Default sort: furigana (all the same here), then id — every row is there.
    assert_eq!(all["rows"].as_array().unwrap().len(), 6);
    let row = |page: &Value, name: &str| {
        page["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["name"].as_str().unwrap().starts_with(name))
            .cloned()
            .unwrap()
    };
    let aoki = row(&all, "青木");
    assert_eq!(aoki["risk"]["level"], "gap");
    assert!(
        aoki["risk"]["note"]
            .as_str()
            .unwrap()
            .contains("か月目：所定単位数の")
    );
    assert!(aoki["renewal"]["days"].as_i64().unwrap() < 0);
    assert_eq!(aoki["current_step"], "monitoring");
    assert!(aoki["monitoring_due"].is_object());
    assert_eq!(row(&all, "井上")["risk"]["level"], "high");
    assert_eq!(row(&all, "上田")["risk"]["level"], "watch");
    assert_eq!(row(&all, "江藤")["risk"]["level"], "ok");
    let ono = row(&all, "小野");
    assert_eq!(
        (ono["current_step"].as_str(), ono["risk"]["level"].as_str()),
        (Some("assessment"), Some("watch"))
    );
    assert!(ono["assessment_start"].is_object());
    assert_eq!(row(&all, "加藤")["risk"]["level"], "gap");

    let (_, overdue) = dashboard(&owner, "overdue=true").await;
    let mut found = names(&overdue);
    found.sort();
    assert_eq!(found, ["加藤", "青木"]);
    assert_eq!(overdue["counts"]["matching"], 2);
    assert_eq!(
        overdue["counts"]["total"], 6,
        "the cards ignore the filters"
    );
    let (_, upcoming) = dashboard(&owner, "upcoming=true&sort=renewal").await;
    assert_eq!(names(&upcoming), ["井上", "上田", "小野"]);
    let (_, risky) = dashboard(&owner, "risk=gap,high&sort=risk").await;
    assert_eq!(names(&risky).len(), 3);
    assert_eq!(names(&risky)[2], "井上", "gap before high");
    let (_, assessment) = dashboard(&owner, "assessment_incomplete=true").await;
    assert_eq!(assessment["counts"]["matching"], 2);
    let (_, at_step) = dashboard(&owner, "step=monitoring&service_type=type_B_office").await;
    assert_eq!(at_step["counts"]["matching"], 4);
    let (_, life_care) = dashboard(&owner, "service_type=life_care").await;
    assert_eq!(names(&life_care), ["小野"]);
    let (_, second) = dashboard(&owner, "cycle=2").await;
    assert_eq!(second["counts"]["matching"], 0);
    let (_, mine) = dashboard(&owner, "assigned=me").await;
    assert_eq!(mine["counts"]["matching"], 0);
    let (_, searched) = dashboard(&owner, "q=%E5%8A%A0%E8%97%A4").await; // 加藤
    assert_eq!(names(&searched), ["加藤"]);
    // Contradictory filters simply return nothing.
    let (_, none) = dashboard(&owner, "overdue=true&upcoming=true").await;
    assert_eq!(
        (
            none["counts"]["matching"].as_u64(),
            none["rows"].as_array().unwrap().len()
        ),
        (Some(0), 0)
    );
    // Paging.
    let (_, page) = dashboard(&owner, "per_page=20&page=1&sort=created").await;
    assert_eq!(
        (page["pages"].as_u64(), page["per_page"].as_u64()),
        (Some(1), Some(20))
    );
    assert_eq!(names(&page)[0], "加藤", "newest first");
    // Unknown values are typed errors.
    for query in ["sort=age", "per_page=30", "step=done", "risk=ok", "cycle=0"] {
        let (status, body) = dashboard(&owner, query).await;
        assert_eq!(
            (status, body["code"].as_str()),
            (422, Some("VALIDATION_FAILED")),
            "{query}"
        );
    }
    // Employees see the same office.
    let (employee, _) = invited(&app, &owner, "employee@example.jp", "employee").await;
    let (status, theirs) = dashboard(&employee, "").await;
    assert_eq!((status, theirs["counts"]["total"].as_u64()), (200, Some(6)));
}
