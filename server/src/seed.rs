//! `keikakun seed --offices N --recipients M [--cycles C] [--documents]`: realistic demo and
//! benchmark data, fast (bulk `unnest` inserts, one password hash for every owner). Refused in
//! production.
//!
//! Each office gets an owner `seed-owner-<n>-<batch>@example.jp` (password [`SEED_PASSWORD`],
//! verified, terms accepted), one or two service types, and M recipients with every required
//! wizard field and one emergency contact; the recipient rows are written as the tenant role
//! under row-level security, like the server functions write them. Every recipient has C plan
//! cycles (default 1): the earlier ones closed with all five steps done, each with its document
//! version; the latest one part way. With `--documents` each version's PDF is stored too (in
//! the configured storage), so the plan pages open them; without it only the rows exist.

use crate::{
    config::{Config, Environment},
    db,
};
use app::ssr::auth::passwords;
use clap::Args;
use rand::{Rng, SeedableRng, rngs::StdRng, seq::IndexedRandom};
use shared::recipient::search_key;
use std::time::{Duration, Instant};
use uuid::Uuid;

pub const SEED_PASSWORD: &str = "Seed#Data1";

#[derive(Debug, Args)]
pub struct SeedArgs {
    /// How many offices to create.
    #[arg(long, default_value_t = 1)]
    offices: u32,
    /// Recipients per office.
    #[arg(long, default_value_t = 50)]
    recipients: u32,
    /// Random seed (the same seed gives the same names and dates).
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Plan cycles per recipient (the earlier ones closed, the latest in progress).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=10))]
    cycles: u32,
    /// Also store a small PDF for every document version (in the configured storage).
    #[arg(long)]
    documents: bool,
}

/// (kanji, kana)
const FAMILY: [(&str, &str); 24] = [
    ("佐藤", "さとう"),
    ("鈴木", "すずき"),
    ("高橋", "たかはし"),
    ("田中", "たなか"),
    ("伊藤", "いとう"),
    ("渡辺", "わたなべ"),
    ("山本", "やまもと"),
    ("中村", "なかむら"),
    ("小林", "こばやし"),
    ("加藤", "かとう"),
    ("吉田", "よしだ"),
    ("山田", "やまだ"),
    ("佐々木", "ささき"),
    ("山口", "やまぐち"),
    ("松本", "まつもと"),
    ("井上", "いのうえ"),
    ("木村", "きむら"),
    ("林", "はやし"),
    ("斎藤", "さいとう"),
    ("清水", "しみず"),
    ("山崎", "やまざき"),
    ("森", "もり"),
    ("池田", "いけだ"),
    ("橋本", "はしもと"),
];
const GIVEN: [(&str, &str, &str); 24] = [
    ("太郎", "たろう", "male"),
    ("一郎", "いちろう", "male"),
    ("健太", "けんた", "male"),
    ("翔太", "しょうた", "male"),
    ("大輔", "だいすけ", "male"),
    ("拓也", "たくや", "male"),
    ("直樹", "なおき", "male"),
    ("誠", "まこと", "male"),
    ("浩二", "こうじ", "male"),
    ("隆", "たかし", "male"),
    ("悠斗", "ゆうと", "male"),
    ("蓮", "れん", "male"),
    ("花子", "はなこ", "female"),
    ("恵子", "けいこ", "female"),
    ("陽子", "ようこ", "female"),
    ("美咲", "みさき", "female"),
    ("愛", "あい", "female"),
    ("真由美", "まゆみ", "female"),
    ("さくら", "さくら", "female"),
    ("優子", "ゆうこ", "female"),
    ("明美", "あけみ", "female"),
    ("結衣", "ゆい", "female"),
    ("葵", "あおい", "female"),
    ("光", "ひかる", "other"),
];
const CITIES: [&str; 8] = [
    "東京都新宿区西新宿",
    "東京都世田谷区三軒茶屋",
    "神奈川県横浜市中区山下町",
    "大阪府大阪市北区梅田",
    "愛知県名古屋市中区栄",
    "福岡県福岡市博多区博多駅前",
    "北海道札幌市中央区大通西",
    "宮城県仙台市青葉区一番町",
];
const DISEASES: [&str; 6] = [
    "知的障害",
    "統合失調症",
    "自閉スペクトラム症",
    "うつ病",
    "脳性まひ",
    "てんかん",
];
const SERVICE_TYPES: [&str; 4] = ["type_B_office", "life_care", "type_A_office", "group_home"];
const RESIDENCES: [&str; 4] = [
    "home_with_family",
    "home_alone",
    "group_home",
    "institution",
];
const TRANSPORTS: [&str; 4] = ["walk", "bicycle", "public_transport", "welfare_transport"];

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("seed data is for development and benchmarks; KK_ENV=production refuses it")]
    Production,
    #[error("database: {0}")]
    Database(String),
}

impl From<sqlx::Error> for SeedError {
    fn from(error: sqlx::Error) -> Self {
        Self::Database(error.to_string())
    }
}

pub async fn run(config: &Config, args: &SeedArgs) -> Result<String, SeedError> {
    if config.environment == Environment::Production {
        return Err(SeedError::Production);
    }
    let pool = db::lazy_pool(config).map_err(|e| SeedError::Database(e.to_string()))?;
    db::wait_and_migrate(&pool, Duration::from_secs(10))
        .await
        .map_err(|e| SeedError::Database(e.to_string()))?;
    let started = Instant::now();
    let mut rng = StdRng::seed_from_u64(args.seed);
    let password_hash = passwords::hash(SEED_PASSWORD.to_owned())
        .await
        .map_err(|_| SeedError::Database("password hashing failed".into()))?;
    let batch = Uuid::new_v4().simple().to_string()[..6].to_owned();
    let mut rows = 0u64;
    let storage = match args.documents {
        true => {
            let keys = crate::keys::load(config).map_err(|e| SeedError::Database(e.to_string()))?;
            let storage = crate::storage::build(&config.storage, &keys.mac)
                .map_err(|e| SeedError::Database(e.to_string()))?;
            Some(storage.documents)
        }
        false => None,
    };

    for n in 1..=args.offices {
        let mut tx = pool.begin().await?;
        let office_id = sqlx::query_scalar!(
            "insert into offices (name) values ($1) returning id",
            format!("デモ事業所{n}（{batch}）"),
        )
        .fetch_one(&mut *tx)
        .await?;
        let types: Vec<&str> = SERVICE_TYPES[..rng.random_range(1..=2)].to_vec();
        sqlx::query!(
            "insert into office_service_types (office_id, service_type) select $1, unnest($2::text[])",
            office_id,
            &types as &[&str],
        )
        .execute(&mut *tx)
        .await?;
        let owner_id = sqlx::query_scalar!(
            "insert into staffs (office_id, role, email, last_name, first_name, last_name_kana,
                                 first_name_kana, password_hash, email_verified_at)
             values ($1, 'owner', $2, '管理', '花子', 'かんり', 'はなこ', $3, now())
             returning id",
            office_id,
            format!("seed-owner-{n}-{batch}@example.jp"),
            password_hash,
        )
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query!(
            "insert into terms_agreements (staff_id, terms_version, privacy_version)
             values ($1, $2, $3)",
            owner_id,
            config.terms_version,
            config.privacy_version,
        )
        .execute(&mut *tx)
        .await?;
        // Recipients are tenant rows: written as the tenant role under row-level security, like
        // every server function writes them.
        app::ssr::tenant::enter_office(&mut tx, office_id).await?;

        let count = args.recipients as usize;
        let mut r = RecipientColumns::default();
        for _ in 0..count {
            let (family, family_kana) = *FAMILY.choose(&mut rng).unwrap_or(&FAMILY[0]);
            let (given, given_kana, gender) = *GIVEN.choose(&mut rng).unwrap_or(&GIVEN[0]);
            let birth = time::Date::from_julian_day(
                time::macros::date!(1950 - 01 - 01).to_julian_day() + rng.random_range(0..20_000),
            )
            .unwrap_or(time::macros::date!(1980 - 01 - 01));
            let contract = time::Date::from_julian_day(
                // Before any seeded cycle starts (at most 10 cycles of 170 days back).
                time::macros::date!(2015 - 01 - 01).to_julian_day() + rng.random_range(0..1_500),
            )
            .unwrap_or(time::macros::date!(2018 - 04 - 01));
            r.last_name.push(family.to_owned());
            r.first_name.push(given.to_owned());
            r.last_name_kana.push(family_kana.to_owned());
            r.first_name_kana.push(given_kana.to_owned());
            r.search_text.push(search_key(&format!(
                "{family}{given}{family_kana}{given_kana}"
            )));
            r.birth_date.push(birth);
            r.gender.push(gender.to_owned());
            r.service_type
                .push(types.choose(&mut rng).unwrap_or(&types[0]).to_string());
            r.contract_date.push(contract);
            r.address.push(format!(
                "{}{}-{}-{}",
                CITIES.choose(&mut rng).unwrap_or(&CITIES[0]),
                rng.random_range(1..9),
                rng.random_range(1..30),
                rng.random_range(1..20)
            ));
            r.residence.push(
                RESIDENCES
                    .choose(&mut rng)
                    .unwrap_or(&RESIDENCES[0])
                    .to_string(),
            );
            r.transport.push(
                TRANSPORTS
                    .choose(&mut rng)
                    .unwrap_or(&TRANSPORTS[0])
                    .to_string(),
            );
            r.tel.push(format!(
                "090-{:04}-{:04}",
                rng.random_range(0..10_000),
                rng.random_range(0..10_000)
            ));
            r.disease.push(
                DISEASES
                    .choose(&mut rng)
                    .unwrap_or(&DISEASES[0])
                    .to_string(),
            );
        }
        let ids = sqlx::query_scalar!(
            "insert into recipients (office_id, last_name, first_name, last_name_kana,
                 first_name_kana, search_text, birth_date, gender, service_type, contract_date,
                 address, form_of_residence, means_of_transportation, tel,
                 disability_or_disease_name, livelihood_protection, created_by, updated_by)
             select $1, * , 'not_receiving', $15, $15 from unnest(
                 $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::date[],
                 $8::text[], $9::text[], $10::date[], $11::text[], $12::text[], $13::text[],
                 $14::text[], $16::text[])
             returning id",
            office_id,
            &r.last_name,
            &r.first_name,
            &r.last_name_kana,
            &r.first_name_kana,
            &r.search_text,
            &r.birth_date,
            &r.gender,
            &r.service_type,
            &r.contract_date,
            &r.address,
            &r.residence,
            &r.transport,
            &r.tel,
            owner_id,
            &r.disease,
        )
        .fetch_all(&mut *tx)
        .await?;
        // One emergency contact each (a parent with the same family name).
        let contact_names: Vec<String> = ids
            .iter()
            .map(|_| GIVEN.choose(&mut rng).unwrap_or(&GIVEN[0]).0.to_owned())
            .collect();
        let contact_kana: Vec<String> = contact_names
            .iter()
            .map(|name| {
                GIVEN
                    .iter()
                    .find(|g| g.0 == name)
                    .map_or("はなこ", |g| g.1)
                    .to_owned()
            })
            .collect();
        sqlx::query!(
            "insert into emergency_contacts (recipient_id, office_id, priority, last_name,
                 first_name, last_name_kana, first_name_kana, relationship, tel)
             select id, $1, 1, ln, fn, lk, fk, '母', tel from unnest(
                 $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
                 as t(id, ln, fn, lk, fk, tel)",
            office_id,
            &ids,
            &r.last_name,
            &contact_names,
            &r.last_name_kana,
            &contact_kana,
            &r.tel,
        )
        .execute(&mut *tx)
        .await?;
        let plan = plan_rows(&mut rng, office_id, &ids, &r.contract_date, args.cycles);
        plan.insert(&mut tx).await?;
        tx.commit().await?;
        if let Some(storage) = &storage {
            store_documents(storage.as_ref(), &plan.versions).await?;
        }
        rows += 2 * ids.len() as u64 + 4 + plan.row_count();
    }
    let seconds = started.elapsed().as_secs_f64();
    Ok(format!(
        "seeded {} offices × {} recipients ({rows} rows) in {seconds:.2} s ({:.0} rows/s); \
         owners: seed-owner-<n>-{batch}@example.jp / {SEED_PASSWORD}",
        args.offices,
        args.recipients,
        rows as f64 / seconds.max(0.001),
    ))
}

/// Column vectors for one `unnest` insert.
#[derive(Default)]
struct RecipientColumns {
    last_name: Vec<String>,
    first_name: Vec<String>,
    last_name_kana: Vec<String>,
    first_name_kana: Vec<String>,
    search_text: Vec<String>,
    birth_date: Vec<time::Date>,
    gender: Vec<String>,
    service_type: Vec<String>,
    contract_date: Vec<time::Date>,
    address: Vec<String>,
    residence: Vec<String>,
    transport: Vec<String>,
    tel: Vec<String>,
    disease: Vec<String>,
}

/// One document version to seed: its key and its row.
struct SeedVersion {
    key: String,
    document_id: Uuid,
}

/// The plan rows of one office, as column vectors for `unnest` inserts.
#[derive(Default)]
struct PlanRows {
    office_id: Uuid,
    cycle_id: Vec<Uuid>,
    cycle_recipient: Vec<Uuid>,
    cycle_number: Vec<i32>,
    cycle_start: Vec<time::Date>,
    cycle_status: Vec<String>,
    cycle_latest: Vec<bool>,
    step_cycle: Vec<Uuid>,
    step_name: Vec<String>,
    step_status: Vec<String>,
    step_date: Vec<Option<time::Date>>,
    step_version: Vec<Option<Uuid>>,
    document_id: Vec<Uuid>,
    document_recipient: Vec<Uuid>,
    document_cycle: Vec<Uuid>,
    document_type: Vec<String>,
    version_id: Vec<Uuid>,
    versions: Vec<SeedVersion>,
}

/// Days after a cycle's start when each step was done (assessment … monitoring).
const STEP_DAYS: [i64; 5] = [3, 10, 17, 21, 170];

/// Cycles 1..=`cycles` per recipient: earlier ones closed (every step done, one document
/// version each, the consent on the draft), the latest one with 0–4 steps done, no date after
/// today.
fn plan_rows(
    rng: &mut StdRng,
    office_id: Uuid,
    recipients: &[Uuid],
    contracts: &[time::Date],
    cycles: u32,
) -> PlanRows {
    use shared::plan::PlanStep;
    let today = shared::dates::jst_date(time::OffsetDateTime::now_utc());
    let mut rows = PlanRows {
        office_id,
        ..PlanRows::default()
    };
    for (recipient, contract) in recipients.iter().zip(contracts) {
        let span = i64::from(cycles - 1) * STEP_DAYS[4];
        let mut start = today - time::Duration::days(span + rng.random_range(5..160));
        debug_assert!(start >= *contract, "seeded contracts precede every cycle");
        for number in 1..=cycles {
            let latest = number == cycles;
            let cycle_id = Uuid::new_v4();
            rows.cycle_id.push(cycle_id);
            rows.cycle_recipient.push(*recipient);
            rows.cycle_number.push(number as i32);
            rows.cycle_start.push(start);
            rows.cycle_status
                .push(if latest { "open" } else { "closed" }.to_owned());
            rows.cycle_latest.push(latest);
            let done = if latest { rng.random_range(0..=4) } else { 5 };
            for (i, step) in PlanStep::ALL.iter().enumerate() {
                let date = start + time::Duration::days(STEP_DAYS[i]);
                let completed = i < done && date <= today;
                rows.step_cycle.push(cycle_id);
                rows.step_name.push(step.as_str().to_owned());
                rows.step_status
                    .push(if completed { "completed" } else { "incomplete" }.to_owned());
                rows.step_date.push(completed.then_some(date));
                if completed {
                    let document_id = Uuid::new_v4();
                    let version_id = Uuid::new_v4();
                    let doc_type = step.doc_type();
                    rows.document_id.push(document_id);
                    rows.document_recipient.push(*recipient);
                    rows.document_cycle.push(cycle_id);
                    rows.document_type.push(doc_type.as_str().to_owned());
                    rows.version_id.push(version_id);
                    rows.versions.push(SeedVersion {
                        key: app::ssr::storage::version_key(
                            office_id,
                            *recipient,
                            cycle_id,
                            doc_type,
                            document_id,
                            1,
                        ),
                        document_id,
                    });
                    rows.step_version.push(Some(version_id));
                } else {
                    rows.step_version.push(None);
                }
            }
            start += time::Duration::days(STEP_DAYS[4]);
        }
    }
    rows
}

impl PlanRows {
    fn row_count(&self) -> u64 {
        (self.cycle_id.len() + self.step_cycle.len() + 2 * self.document_id.len()) as u64
    }

    async fn insert(&self, conn: &mut sqlx::PgConnection) -> Result<(), SeedError> {
        sqlx::query!(
            "insert into plan_cycles (id, office_id, recipient_id, cycle_number, cycle_start_date,
                 next_plan_start_days, status, is_latest, closed_at)
             select id, $1, r, n, s, 7, st::plan_cycle_status, l,
                    case when st = 'closed' then now() end
             from unnest($2::uuid[], $3::uuid[], $4::int[], $5::date[], $6::text[], $7::bool[])
                 as t (id, r, n, s, st, l)",
            self.office_id,
            &self.cycle_id,
            &self.cycle_recipient,
            &self.cycle_number,
            &self.cycle_start,
            &self.cycle_status,
            &self.cycle_latest,
        )
        .execute(&mut *conn)
        .await?;
        sqlx::query!(
            "insert into plan_documents (id, office_id, recipient_id, cycle_id, doc_type)
             select id, $1, r, c, dt::document_type
             from unnest($2::uuid[], $3::uuid[], $4::uuid[], $5::text[]) as t (id, r, c, dt)",
            self.office_id,
            &self.document_id,
            &self.document_recipient,
            &self.document_cycle,
            &self.document_type,
        )
        .execute(&mut *conn)
        .await?;
        let pdf = seed_pdf();
        let sha = app::ssr::crypto::sha256(&pdf);
        let keys: Vec<&str> = self.versions.iter().map(|v| v.key.as_str()).collect();
        let documents: Vec<Uuid> = self.versions.iter().map(|v| v.document_id).collect();
        let names: Vec<String> = self
            .document_type
            .iter()
            .map(|t| {
                format!(
                    "{}.pdf",
                    shared::document::DocType::parse(t).map_or("書類", |t| t.label())
                )
            })
            .collect();
        sqlx::query!(
            "insert into document_versions (id, office_id, document_id, version, storage_key,
                 file_name, byte_size, sha256, uploaded_by_name)
             select id, $1, d, 1, k, n, $6, $7, '管理 花子'
             from unnest($2::uuid[], $3::uuid[], $4::text[], $5::text[]) as t (id, d, k, n)",
            self.office_id,
            &self.version_id,
            &documents,
            &keys as &[&str],
            &names,
            pdf.len() as i64,
            &sha,
        )
        .execute(&mut *conn)
        .await?;
        sqlx::query!(
            "insert into plan_steps (cycle_id, office_id, step, status, step_date, interview_done,
                 handed_over, performed_by_name, document_version_id, completed_at)
             select c, $1, s::plan_step, st::plan_step_status, d,
                    case when st = 'completed' and s in ('assessment', 'monitoring') then true end,
                    case when st = 'completed' and s = 'final_plan_signed' then true end,
                    case when st = 'completed' then '管理 花子' end,
                    v, case when st = 'completed' then now() end
             from unnest($2::uuid[], $3::text[], $4::text[], $5::date[], $6::uuid[])
                 as t (c, s, st, d, v)",
            self.office_id,
            &self.step_cycle,
            &self.step_name,
            &self.step_status,
            &self.step_date as &[Option<time::Date>],
            &self.step_version as &[Option<Uuid>],
        )
        .execute(&mut *conn)
        .await?;
        // The consent on each delivered cycle's draft (step 4 needs it).
        sqlx::query!(
            "insert into plan_consents (cycle_id, office_id, draft_version_id, consent_date,
                 consenter_name, consenter_relation, method, recorded_by_name, recorded_by)
             select s.cycle_id, $1, d.document_version_id, s.step_date, '本人', 'self', 'paper',
                    '管理 花子', (select id from staffs where office_id = $1 and role = 'owner' limit 1)
             from plan_steps s
             join plan_steps d on d.cycle_id = s.cycle_id and d.step = 'draft_plan'
             where s.office_id = $1 and s.step = 'final_plan_signed' and s.status = 'completed'",
            self.office_id,
        )
        .execute(&mut *conn)
        .await?;
        Ok(())
    }
}

/// The PDF every seeded version holds.
fn seed_pdf() -> Vec<u8> {
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".to_vec()
}

async fn store_documents(
    storage: &dyn app::ssr::storage::DocumentStorage,
    versions: &[SeedVersion],
) -> Result<(), SeedError> {
    let file = tempfile::NamedTempFile::new().map_err(|e| SeedError::Database(e.to_string()))?;
    std::fs::write(file.path(), seed_pdf()).map_err(|e| SeedError::Database(e.to_string()))?;
    for version in versions {
        storage
            .put(&version.key, file.path(), "seed.pdf")
            .await
            .map_err(|e| SeedError::Database(e.to_string()))?;
    }
    Ok(())
}
