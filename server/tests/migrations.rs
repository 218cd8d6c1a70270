//! The database helpers the foundation migration provides.

use sqlx::PgPool;

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn updated_at_helper_stamps_changed_rows_only(pool: PgPool) {
    sqlx::query(
        "create table notes (id int primary key, body text not null, \
         updated_at timestamptz not null default now() - interval '1 day')",
    )
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query("select kk_manage_updated_at('notes')")
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("insert into notes (id, body) values (1, 'a'), (2, 'b')")
        .execute(&pool)
        .await
        .unwrap();

    let stamp = |id: i32| {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, bool>(
                "select updated_at > now() - interval '1 minute' from notes where id = $1",
            )
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };

    sqlx::query("update notes set body = 'changed' where id = 1")
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("update notes set body = 'b' where id = 2")
        .execute(&pool)
        .await
        .unwrap();
    assert!(stamp(1).await, "a changed row gets a fresh updated_at");
    assert!(!stamp(2).await, "a no-op update leaves updated_at alone");

    // An explicit updated_at (e.g. a data migration) is kept.
    sqlx::query("update notes set body = 'x', updated_at = '2020-01-01' where id = 2")
        .execute(&pool)
        .await
        .unwrap();
    let kept: bool = sqlx::query_scalar("select updated_at = '2020-01-01' from notes where id = 2")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(kept);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn citext_is_available_for_case_insensitive_emails(pool: PgPool) {
    let equal: bool =
        sqlx::query_scalar("select 'Staff@Example.JP'::citext = 'staff@example.jp'::citext")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(equal);
}
