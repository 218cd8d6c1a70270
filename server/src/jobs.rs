//! The background job runner (SPEC §15).
//!
//! Every instance ticks once a minute. A job that is due has a run key (`approval_expiry:{date}`
//! for a daily job); the instance that inserts `job_runs(job, run_key)` first runs it, the others
//! see the row and skip. The running instance heartbeats every 30 s; a run whose heartbeat is
//! older than 5 minutes (its instance died) is taken over, and a failed run is retried after
//! 10 minutes, at most [`MAX_ATTEMPTS`] times. Job bodies are idempotent, so a takeover is safe.
//!
//! Queue drains ([`DRAINS`]: the storage outbox, the upload-intent sweeper) have no run to claim:
//! every instance runs them on its own rhythm and their rows are claimed one by one with
//! `FOR UPDATE SKIP LOCKED`, so two instances never handle the same row.

use app::ssr::{AppState, ServerError, documents::outbox, recipients::approvals};
use futures::future::BoxFuture;
use sqlx::PgPool;
use std::{
    sync::LazyLock,
    time::{Duration, Instant},
};
use time::{OffsetDateTime, Time, UtcOffset, macros::offset};
use uuid::Uuid;

const TICK: Duration = Duration::from_secs(60);
const HEARTBEAT: Duration = Duration::from_secs(30);
pub const MAX_ATTEMPTS: i32 = 3;
const JST: UtcOffset = offset!(+9);

/// When a job is due.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Schedule {
    /// Once a day from this JST time on; a run missed (instance down) happens at the next tick.
    DailyJst { hour: u8, minute: u8 },
}

impl Schedule {
    /// The key of the run that is due at `now`: the latest scheduled time at or before `now`.
    pub fn run_key(self, job: &str, now: OffsetDateTime) -> String {
        match self {
            Self::DailyJst { hour, minute } => {
                let jst = now.to_offset(JST);
                let at = Time::from_hms(hour, minute, 0).expect("a valid schedule time");
                let date = if jst.time() >= at {
                    jst.date()
                } else {
                    jst.date()
                        .previous_day()
                        .expect("not the first day of the calendar")
                };
                format!("{job}:{date}")
            }
        }
    }
}

/// A job body: does its work and returns how many items it handled.
pub type Body = for<'a> fn(&'a AppState) -> BoxFuture<'a, Result<u64, ServerError>>;

pub struct Job {
    pub name: &'static str,
    pub schedule: Schedule,
    pub body: Body,
}

/// This process, as `job_runs.instance` names it.
pub static INSTANCE: LazyLock<Uuid> = LazyLock::new(Uuid::new_v4);

/// The jobs this build runs.
pub const JOBS: &[Job] = &[Job {
    name: "approval_expiry",
    schedule: Schedule::DailyJst {
        hour: 4,
        minute: 10,
    },
    body: |app| Box::pin(approvals::expire_stale(&app.db)),
}];

/// A queue that every instance drains every `every`.
pub struct Drain {
    pub name: &'static str,
    pub every: Duration,
    pub body: Body,
}

/// The drains this build runs (SPEC §15 `storage_outbox`, `upload_intent_sweeper`).
pub const DRAINS: &[Drain] = &[
    Drain {
        name: "storage_outbox",
        every: Duration::from_secs(60),
        body: |app| Box::pin(outbox::drain(app)),
    },
    Drain {
        name: "upload_intent_sweeper",
        every: Duration::from_secs(15 * 60),
        body: |app| Box::pin(outbox::sweep_intents(app)),
    },
];

/// What one tick did with a job.
#[derive(Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// Another instance has it, or it already finished.
    Skipped,
    Succeeded {
        items: u64,
    },
    Failed,
}

/// Runs the jobs and drains until the task is dropped. Database errors of the runner itself are
/// logged and retried at the next tick.
pub async fn run(app: AppState) {
    let instance = *INSTANCE;
    let mut tick = tokio::time::interval(TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut drained: Vec<Option<Instant>> = vec![None; DRAINS.len()];
    loop {
        tick.tick().await;
        if let Err(error) = run_due(&app, JOBS, instance, OffsetDateTime::now_utc()).await {
            tracing::warn!(%error, "job runner: could not claim due jobs");
        }
        for (drain, last) in DRAINS.iter().zip(drained.iter_mut()) {
            if last.is_none_or(|at| at.elapsed() >= drain.every) {
                run_drain(&app, drain).await;
                *last = Some(Instant::now());
            }
        }
    }
}

/// Runs one drain now.
pub async fn run_drain(app: &AppState, drain: &Drain) -> Outcome {
    match (drain.body)(app).await {
        Ok(items) => {
            if items > 0 {
                tracing::info!(job = drain.name, items, "drain handled items");
            }
            Outcome::Succeeded { items }
        }
        Err(error) => {
            tracing::error!(job = drain.name, %error, "drain failed");
            Outcome::Failed
        }
    }
}

/// One tick: claims and runs every job of `jobs` that is due at `now`, one after another.
pub async fn run_due(
    app: &AppState,
    jobs: &[Job],
    instance: Uuid,
    now: OffsetDateTime,
) -> Result<Vec<(&'static str, Outcome)>, sqlx::Error> {
    let mut outcomes = Vec::with_capacity(jobs.len());
    for job in jobs {
        let key = job.schedule.run_key(job.name, now);
        let outcome = if claim(&app.db, job.name, &key, instance).await? {
            run_claimed(app, job, &key, instance).await?
        } else {
            Outcome::Skipped
        };
        outcomes.push((job.name, outcome));
    }
    Ok(outcomes)
}

/// Claims the run: a new row, or one whose instance stopped heartbeating, or a failed one whose
/// retry is due. `false` when another instance holds it or it is finished.
async fn claim(db: &PgPool, job: &str, key: &str, instance: Uuid) -> Result<bool, sqlx::Error> {
    let inserted = sqlx::query!(
        "insert into job_runs (job, run_key, instance) values ($1, $2, $3)
         on conflict (job, run_key) do nothing",
        job,
        key,
        instance
    )
    .execute(db)
    .await?;
    if inserted.rows_affected() == 1 {
        return Ok(true);
    }
    let taken = sqlx::query!(
        "update job_runs
         set status = 'running', instance = $3, attempts = attempts + 1, started_at = now(),
             heartbeat_at = now(), finished_at = null, error = null
         where job = $1 and run_key = $2
           and ((status = 'running' and heartbeat_at < now() - interval '5 minutes')
             or (status = 'failed' and attempts < $4
                 and finished_at < now() - interval '10 minutes'))",
        job,
        key,
        instance,
        MAX_ATTEMPTS,
    )
    .execute(db)
    .await?;
    if taken.rows_affected() == 1 {
        tracing::info!(
            job,
            run_key = key,
            "job runner: took over a stalled or failed run"
        );
    }
    Ok(taken.rows_affected() == 1)
}

async fn run_claimed(
    app: &AppState,
    job: &Job,
    key: &str,
    instance: Uuid,
) -> Result<Outcome, sqlx::Error> {
    let db = &app.db;
    let started = std::time::Instant::now();
    let result = {
        let work = (job.body)(app);
        tokio::pin!(work);
        let mut beat = tokio::time::interval(HEARTBEAT);
        beat.tick().await; // the first tick is immediate
        loop {
            tokio::select! {
                result = &mut work => break result,
                _ = beat.tick() => heartbeat(db, job.name, key, instance).await,
            }
        }
    };
    let duration_ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
    let (outcome, status, items, error) = match result {
        Ok(items) => {
            tracing::info!(
                job = job.name,
                run_key = key,
                items,
                duration_ms,
                "job succeeded"
            );
            (
                Outcome::Succeeded { items },
                "succeeded",
                Some(i64::try_from(items).unwrap_or(i64::MAX)),
                None,
            )
        }
        Err(error) => {
            // The error's own text names what failed (never row contents).
            tracing::error!(job = job.name, run_key = key, %error, "job failed");
            (Outcome::Failed, "failed", None, Some(error.to_string()))
        }
    };
    sqlx::query!(
        "update job_runs set status = $4::text::job_status, finished_at = now(), items = $5,
             duration_ms = $6, error = $7
         where job = $1 and run_key = $2 and instance = $3",
        job.name,
        key,
        instance,
        status,
        items,
        duration_ms,
        error,
    )
    .execute(db)
    .await?;
    Ok(outcome)
}

async fn heartbeat(db: &PgPool, job: &str, key: &str, instance: Uuid) {
    let beat = sqlx::query!(
        "update job_runs set heartbeat_at = now()
         where job = $1 and run_key = $2 and instance = $3 and status = 'running'",
        job,
        key,
        instance
    )
    .execute(db)
    .await;
    if let Err(error) = beat {
        tracing::warn!(job, run_key = key, %error, "job runner: heartbeat failed");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn a_daily_run_belongs_to_the_jst_day_once_its_time_has_come() {
        let at_0410 = Schedule::DailyJst {
            hour: 4,
            minute: 10,
        };
        let cases = [
            // 04:09 JST on 12/02 is still the run of 12/01.
            (
                datetime!(2026-12-01 19:09 UTC),
                "approval_expiry:2026-12-01",
            ),
            (
                datetime!(2026-12-01 19:10 UTC),
                "approval_expiry:2026-12-02",
            ),
            (
                datetime!(2026-12-02 14:59 UTC),
                "approval_expiry:2026-12-02",
            ),
            // Midnight JST before 04:10: the previous day, across a year boundary too.
            (
                datetime!(2026-12-31 15:00 UTC),
                "approval_expiry:2026-12-31",
            ),
            (
                datetime!(2026-12-31 19:10 UTC),
                "approval_expiry:2027-01-01",
            ),
            (
                datetime!(2028-02-29 19:09 UTC),
                "approval_expiry:2028-02-29",
            ),
        ];
        for (now, key) in cases {
            assert_eq!(at_0410.run_key("approval_expiry", now), key, "{now}");
        }
    }
}
