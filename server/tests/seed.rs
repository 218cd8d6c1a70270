//! `keikakun seed` as a real process: the data it writes is what the shared form parser accepts,
//! so demo offices and benchmarks use realistic, valid recipients.

mod support;

use app::ssr::recipients::store;
use sqlx::PgPool;
use support::keikakun;
use uuid::Uuid;

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn seeded_recipients_are_valid_and_searchable(pool: PgPool) {
    let (status, stdout, stderr) = keikakun(
        &pool,
        &[
            "seed",
            "--offices",
            "2",
            "--recipients",
            "30",
            "--seed",
            "3",
            "--cycles",
            "3",
            "--documents",
        ],
        "",
    )
    .await;
    assert_eq!(status, 0, "{stderr}");
    assert!(
        stdout.starts_with("seeded 2 offices × 30 recipients"),
        "{stdout}"
    );

    let per_office: Vec<i64> =
        sqlx::query_scalar("select count(*) from recipients group by office_id order by 1")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(per_office, [30, 30]);
    let rows: Vec<(Uuid, Uuid)> = sqlx::query_as("select id, office_id from recipients")
        .fetch_all(&pool)
        .await
        .unwrap();
    let mut conn = pool.acquire().await.unwrap();
    for (id, office_id) in rows {
        let record = store::load(&mut conn, office_id, id).await.unwrap();
        // The authority on validity: the same parser as the wizard and the server functions.
        store::parse(&mut conn, office_id, &record.input, false)
            .await
            .unwrap_or_else(|e| panic!("seeded recipient {id} is not valid: {e:?}"));
        assert_eq!(record.input.emergency_contacts.len(), 1);
    }
    // Three cycles each: two closed with every step done and documented, the latest open and
    // in order; every version row has its stored PDF.
    let cycles: Vec<(i64, i64, i64)> = sqlx::query_as(
        "select count(*), count(*) filter (where status = 'closed'),
                count(*) filter (where is_latest and status = 'open')
         from plan_cycles",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(cycles, [(180, 120, 60)]);
    let undocumented: i64 = sqlx::query_scalar(
        "select count(*) from plan_steps where status = 'completed' and document_version_id is null",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(undocumented, 0);
    let closed_incomplete: i64 = sqlx::query_scalar(
        "select count(*) from plan_steps s join plan_cycles c on c.id = s.cycle_id
         where c.status = 'closed' and s.status <> 'completed'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(closed_incomplete, 0);
    let renewals: i64 = sqlx::query_scalar(
        "select count(*) from recipient_deadlines where renewal_date is not null",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(renewals, 60);
    let versions: i64 = sqlx::query_scalar("select count(*) from document_versions")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(versions >= 600, "{versions}");

    // The search key matches what searches normalise to.
    let keys: Vec<(String, String, String)> = sqlx::query_as(
        "select search_text, last_name_kana, first_name_kana from recipients limit 5",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    for (key, last, first) in keys {
        assert!(key.contains(&format!("{last}{first}")), "{key}");
    }
}
