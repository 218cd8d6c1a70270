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
