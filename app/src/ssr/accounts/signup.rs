//! Owner signup (SPEC §2.1 step 1): no account enumeration — an address already in use gets the
//! same answer and a mail telling its owner.

use super::issue_account_token;
use crate::ssr::{
    AppState, ServerError, audit,
    auth::{ClientInfo, passwords},
    limits,
    mail::{self, Message},
};
use shared::{AppError, Role, account::SignupInput};
use time::Duration;

pub const VERIFICATION_HOURS: i64 = 24;

pub async fn signup(
    state: &AppState,
    input: &SignupInput,
    client: &ClientInfo,
) -> Result<(), ServerError> {
    limits::hit(&state.db, limits::SIGNUP_PER_IP, &client.ip_key()).await?;
    let signup = input.parse().map_err(AppError::validation)?;
    state
        .breach_check
        .check(signup.password.expose())
        .await
        .map_err(ServerError::Client)?;
    // Hash before looking the address up, so both outcomes cost the same.
    let password_hash = passwords::hash(signup.password.expose().to_owned()).await?;
    let security = &state.security;

    let mut tx = state.db.begin().await?;
    let existing = sqlx::query_scalar!(
        "select id from staffs where email = $1 and deleted_at is null",
        signup.email.as_str() as &str,
    )
    .fetch_optional(&mut *tx)
    .await?;
    if existing.is_some() {
        mail::enqueue(
            &mut *tx,
            &security.origin(),
            signup.email.as_str(),
            &Message::AccountExists {
                login_url: security.link("/login"),
                reset_url: security.link("/forgot-password"),
            },
        )
        .await?;
        tx.commit().await?;
        return Ok(());
    }

    let staff_id = sqlx::query_scalar!(
        r#"insert into staffs (role, email, last_name, first_name, last_name_kana, first_name_kana, password_hash)
           values ($1, $2, $3, $4, $5, $6, $7)
           on conflict do nothing
           returning id"#,
        Role::Owner as Role,
        signup.email.as_str() as &str,
        signup.name.last_name.as_str(),
        signup.name.first_name.as_str(),
        signup.name.last_name_kana.as_str(),
        signup.name.first_name_kana.as_str(),
        password_hash,
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(staff_id) = staff_id else {
        // Registered concurrently: same answer as above, without a second mail.
        return Ok(());
    };
    sqlx::query!(
        "insert into password_history (staff_id, password_hash) values ($1, $2)",
        staff_id,
        password_hash,
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "insert into terms_agreements (staff_id, terms_version, privacy_version, ip, user_agent)
         values ($1, $2, $3, $4, $5)",
        staff_id,
        security.terms_version,
        security.privacy_version,
        client.ip.map(ipnet::IpNet::from),
        client.user_agent.as_deref(),
    )
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut *tx,
        audit::Entry::by("terms.agreed", staff_id, Role::Owner, None)
            .target("staff", staff_id)
            .client(client)
            .detail("terms_version", security.terms_version.clone())
            .detail("privacy_version", security.privacy_version.clone()),
    )
    .await?;
    let token = issue_account_token(
        &mut tx,
        staff_id,
        "verify_email",
        Duration::hours(VERIFICATION_HOURS),
        None,
        client,
    )
    .await?;
    mail::enqueue(
        &mut *tx,
        &security.origin(),
        signup.email.as_str(),
        &Message::VerifyEmail {
            staff_name: signup.name.full(),
            verification_url: security.link(&format!("/verify-email#token={}", token.value)),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
