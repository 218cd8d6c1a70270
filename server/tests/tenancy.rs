//! The tenant-isolation and role matrix (SPEC §16.7): every registered server function has a
//! case below — a new function without one fails `every_server_function_has_a_case`. A user of
//! office A gets `NOT_FOUND` for every id of office B (and nothing changes there); every
//! role-restricted function refuses lower roles with `FORBIDDEN`; every non-public one refuses
//! anonymous callers with `UNAUTHENTICATED`.

mod support;

use serde_json::{Value, json};
use sqlx::PgPool;
use std::collections::BTreeSet;
use support::{
    Browser, TestApp,
    people::{app_admin, enable_mfa, invited, owner},
    spawn_app,
};
use uuid::Uuid;

/// Ids of office B that office A's users try to reach.
struct Foreign {
    staff: Uuid,
    invitation: Uuid,
    session: Uuid,
    role_request: Uuid,
    recipient: Uuid,
    approval: Uuid,
    notice: Uuid,
    assessment: Uuid,
    cycle: Uuid,
    version: Uuid,
}

#[derive(Clone, Copy)]
enum Access {
    /// No session needed (the token in the input, if any, is the proof).
    Public,
    /// Any signed-in user, acting on their own account only.
    Account,
    /// A member of an office with at least this role (`employee`, `manager`, `owner`).
    Office(&'static str),
    /// Only app_admins (no office data).
    AppAdmin,
}

struct Case {
    path: &'static str,
    access: Access,
    /// The input naming office B's ids, for functions that take an id.
    foreign: Option<fn(&Foreign) -> Value>,
}

const fn case(path: &'static str, access: Access, foreign: Option<fn(&Foreign) -> Value>) -> Case {
    Case {
        path,
        access,
        foreign,
    }
}

fn staff_body(f: &Foreign) -> Value {
    json!({"staff_id": f.staff})
}

/// Every server function of the app.
const CASES: &[Case] = &[
    case("/api/health/status", Access::Public, None),
    case("/api/auth/session", Access::Public, None),
    case("/api/auth/signup", Access::Public, None),
    case("/api/auth/verify-email", Access::Public, None),
    case("/api/auth/resend-verification", Access::Public, None),
    case("/api/auth/login", Access::Public, None),
    case("/api/admin/login", Access::Public, None),
    case("/api/admin/overview", Access::AppAdmin, None),
    case("/api/auth/logout", Access::Public, None),
    case("/api/auth/login/second-factor", Access::Public, None),
    case("/api/auth/login/mfa-setup", Access::Public, None),
    case("/api/auth/login/mfa-setup/confirm", Access::Public, None),
    case("/api/invitations/lookup", Access::Public, None),
    case("/api/invitations/accept", Access::Public, None),
    case("/api/account/mfa/begin", Access::Account, None),
    case("/api/account/mfa/confirm", Access::Account, None),
    case("/api/account/mfa/disable", Access::Account, None),
    case("/api/account/mfa/recovery-codes", Access::Account, None),
    case("/api/office/setup", Access::Account, None),
    case("/api/auth/forgot-password", Access::Public, None),
    case("/api/auth/reset-password/check", Access::Public, None),
    case("/api/auth/reset-password", Access::Public, None),
    case("/api/auth/confirm-email", Access::Public, None),
    case("/api/account/profile", Access::Account, None),
    case("/api/account/profile/update", Access::Account, None),
    case("/api/account/password", Access::Account, None),
    case("/api/account/email", Access::Account, None),
    case("/api/account/sessions", Access::Account, None),
    // Another user's session id is NOT_FOUND (their own sessions only).
    case(
        "/api/account/sessions/revoke",
        Access::Account,
        Some(|f| json!({"session_id": f.session})),
    ),
    case("/api/account/sessions/revoke-others", Access::Account, None),
    case("/api/account/terms", Access::Account, None),
    case("/api/audit", Access::Office("owner"), None),
    case("/api/recipients", Access::Office("employee"), None),
    case(
        "/api/recipients/get",
        Access::Office("employee"),
        Some(|f| json!({"id": f.recipient})),
    ),
    case(
        "/api/recipients/form-context",
        Access::Office("employee"),
        None,
    ),
    case("/api/recipients/create", Access::Office("employee"), None),
    case(
        "/api/recipients/history",
        Access::Office("manager"),
        Some(|f| json!({"id": f.recipient})),
    ),
    case(
        "/api/recipients/archive",
        Access::Office("employee"),
        Some(|f| json!({"id": f.recipient, "version": 1, "input": {}})),
    ),
    case(
        "/api/recipients/restore",
        Access::Office("employee"),
        Some(|f| json!({"id": f.recipient, "version": 1})),
    ),
    case(
        "/api/recipients/delete",
        Access::Office("employee"),
        Some(|f| json!({"id": f.recipient, "version": 1})),
    ),
    case(
        "/api/recipients/update",
        Access::Office("employee"),
        Some(|f| json!({"id": f.recipient, "version": 1, "input": {}})),
    ),
    case(
        "/api/assessment",
        Access::Office("employee"),
        Some(|f| json!({"recipient_id": f.recipient})),
    ),
    case(
        "/api/assessment/save",
        Access::Office("employee"),
        Some(|f| {
            json!({"recipient_id": f.recipient, "item_id": f.assessment, "version": 1,
                   "entry": {"section": "issue_analysis", "input": {"other": "A"}}})
        }),
    ),
    case(
        "/api/assessment/delete",
        Access::Office("employee"),
        Some(|f| json!({"recipient_id": f.recipient, "item_id": f.assessment, "version": 1})),
    ),
    case(
        "/api/recipients/import/preview",
        Access::Office("manager"),
        None,
    ),
    case(
        "/api/recipients/import/commit",
        Access::Office("manager"),
        None,
    ),
    case("/api/recipients/export", Access::Office("manager"), None),
    case("/api/approvals", Access::Office("employee"), None),
    case(
        "/api/approvals/get",
        Access::Office("employee"),
        Some(|f| json!({"id": f.approval})),
    ),
    case(
        "/api/approvals/decide",
        Access::Office("manager"),
        Some(|f| json!({"id": f.approval, "approve": true})),
    ),
    case(
        "/api/approvals/withdraw",
        Access::Office("employee"),
        Some(|f| json!({"id": f.approval})),
    ),
    case("/api/notices", Access::Office("employee"), None),
    case("/api/notices/unread", Access::Office("employee"), None),
    case(
        "/api/notices/read",
        Access::Office("employee"),
        Some(|f| json!({"id": f.notice})),
    ),
    case("/api/notices/read-all", Access::Office("employee"), None),
    case("/api/role-requests", Access::Office("employee"), None),
    case(
        "/api/role-requests/create",
        Access::Office("employee"),
        None,
    ),
    case(
        "/api/role-requests/decide",
        Access::Office("owner"),
        Some(|f| json!({"id": f.role_request, "approve": true, "notes": ""})),
    ),
    case(
        "/api/role-requests/withdraw",
        Access::Office("employee"),
        Some(|f| json!({"id": f.role_request})),
    ),
    case(
        "/api/plan",
        Access::Office("employee"),
        Some(|f| json!({"recipient_id": f.recipient})),
    ),
    case(
        "/api/plan/steps/complete",
        Access::Office("manager"),
        Some(|f| {
            json!({"cycle_id": f.cycle, "step": "assessment", "version_id": f.version,
                   "input": {"date": "2026-04-02", "interview_done": true,
                             "performed_by": f.staff.to_string()}})
        }),
    ),
    case(
        "/api/plan/steps/reopen",
        Access::Office("manager"),
        Some(|f| json!({"cycle_id": f.cycle, "step": "assessment", "reason": "入力誤り"})),
    ),
    case(
        "/api/plan/steps/dates",
        Access::Office("manager"),
        Some(|f| {
            json!({"cycle_id": f.cycle, "step": "assessment",
                   "input": {"date": "2026-04-02", "reason": "入力誤り"}})
        }),
    ),
    case(
        "/api/plan/consent",
        Access::Office("manager"),
        Some(|f| {
            json!({"cycle_id": f.cycle, "input": {"consent_date": "2026-04-02",
                   "consenter_name": "佐藤 次郎", "consenter_relation": "self", "method": "paper"}})
        }),
    ),
    case(
        "/api/plan/next-plan-start-days",
        Access::Office("employee"),
        Some(|f| json!({"recipient_id": f.recipient, "days": 10})),
    ),
    case("/api/dashboard", Access::Office("employee"), None),
    case("/api/documents", Access::Office("employee"), None),
    case(
        "/api/documents/open",
        Access::Office("employee"),
        Some(|f| json!({"version_id": f.version})),
    ),
    case(
        "/api/documents/versions/delete",
        Access::Office("manager"),
        Some(|f| json!({"version_id": f.version, "reason": "誤登録"})),
    ),
    case(
        "/api/office/plan-settings",
        Access::Office("employee"),
        None,
    ),
    case(
        "/api/office/plan-settings/preview",
        Access::Office("owner"),
        None,
    ),
    case(
        "/api/office/plan-settings/update",
        Access::Office("owner"),
        None,
    ),
    case("/api/office", Access::Office("employee"), None),
    case("/api/office/update", Access::Office("owner"), None),
    case("/api/office/mfa-policy", Access::Office("owner"), None),
    case("/api/office/mfa-policy/set", Access::Office("owner"), None),
    case("/api/staff/directory", Access::Office("employee"), None),
    case("/api/staff", Access::Office("manager"), None),
    case(
        "/api/staff/role",
        Access::Office("owner"),
        Some(|f| json!({"staff_id": f.staff, "role": "manager"})),
    ),
    case(
        "/api/staff/remove",
        Access::Office("owner"),
        Some(staff_body),
    ),
    case(
        "/api/staff/mfa-required",
        Access::Office("owner"),
        Some(|f| json!({"staff_id": f.staff, "required": true})),
    ),
    case(
        "/api/staff/mfa-reset",
        Access::Office("owner"),
        Some(staff_body),
    ),
    case(
        "/api/staff/unlock",
        Access::Office("owner"),
        Some(staff_body),
    ),
    case("/api/invitations", Access::Office("manager"), None),
    case("/api/invitations/create", Access::Office("manager"), None),
    case(
        "/api/invitations/resend",
        Access::Office("manager"),
        Some(|f| json!({"id": f.invitation})),
    ),
    case(
        "/api/invitations/revoke",
        Access::Office("manager"),
        Some(|f| json!({"id": f.invitation})),
    ),
];

fn registered() -> BTreeSet<(String, bool)> {
    leptos::server_fn::axum::server_fn_paths()
        .map(|(path, method)| (path.to_owned(), method == http::Method::GET))
        .collect()
}

fn is_get(path: &str) -> bool {
    registered()
        .iter()
        .find(|(p, _)| p == path)
        .map(|(_, get)| *get)
        .unwrap_or_else(|| panic!("{path} is not a registered server function"))
}

#[test]
fn every_server_function_has_a_case() {
    let registered: BTreeSet<String> = registered().into_iter().map(|(p, _)| p).collect();
    let covered: BTreeSet<String> = CASES.iter().map(|c| c.path.to_owned()).collect();
    let missing: Vec<&String> = registered.difference(&covered).collect();
    let stale: Vec<&String> = covered.difference(&registered).collect();
    assert!(
        missing.is_empty(),
        "server functions without a tenancy case: {missing:?}"
    );
    assert!(
        stale.is_empty(),
        "cases for functions that do not exist: {stale:?}"
    );
}

async fn call(browser: &Browser, path: &str, body: &Value) -> (u16, Value) {
    let r = if is_get(path) {
        // GET functions take their ids from the query string.
        let query: Vec<String> = body
            .as_object()
            .map(|o| {
                o.iter()
                    .filter(|(k, v)| {
                        v.is_string() && k.as_str() != "code" && k.as_str() != "password"
                    })
                    .map(|(k, v)| format!("{k}={}", v.as_str().unwrap()))
                    .collect()
            })
            .unwrap_or_default();
        browser.get(&format!("{path}?{}", query.join("&"))).await
    } else {
        browser.post(path, body.clone()).await
    };
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// A body every function can parse: all id and flag fields any of them takes.
fn any_body(f: &Foreign) -> Value {
    json!({"staff_id": f.staff, "id": f.invitation, "role": "employee", "required": false,
           "code": "123456", "password": "Wrong#pass1", "session_id": f.session, "approve": false,
           "notes": "", "version": 1, "recipient_id": f.recipient, "item_id": f.assessment,
           "entry": {"section": "issue_analysis", "input": {"other": "A"}},
           "preview_id": f.invitation, "file_base64": "",
           "cycle_id": f.invitation, "step": "assessment", "version_id": f.invitation,
           "days": 10, "reason": "入力誤り",
           "input": {"email": "x@example.jp", "role": "employee", "name": "テスト事業所",
                     "service_types": ["life_care"]}})
}

struct World {
    owner_a: Browser,
    manager_a: Browser,
    employee_a: Browser,
    employee_b: Browser,
    app_admin: Browser,
    foreign: Foreign,
}

async fn world(app: &TestApp) -> World {
    let mut owner_a = owner(app, "owner-a@example.jp", Some("A事業所")).await;
    // Recipient writes need MFA: without it they would answer MFA_SETUP_REQUIRED first.
    enable_mfa(&owner_a).await;
    owner_a.refresh_csrf().await;
    let (manager_a, _) = invited(app, &owner_a, "manager-a@example.jp", "manager").await;
    let (employee_a, _) = invited(app, &owner_a, "employee-a@example.jp", "employee").await;
    let owner_b = owner(app, "owner-b@example.jp", Some("B事業所")).await;
    let (employee_b, staff_b) = invited(app, &owner_b, "employee-b@example.jp", "employee").await;
    let r = owner_b
        .post(
            "/api/invitations/create",
            json!({"input": {"email": "pending-b@example.jp", "role": "employee"}}),
        )
        .await;
    let invitation: Uuid = r.json().await.unwrap();
    let session: Uuid = sqlx::query_scalar(
        "select id from sessions where staff_id = $1 and revoked_at is null limit 1",
    )
    .bind(staff_b)
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    let role_request: Uuid = employee_b
        .post(
            "/api/role-requests/create",
            json!({"input": {"role": "manager"}}),
        )
        .await
        .json()
        .await
        .unwrap();
    let (app_admin, _) = app_admin(app, "operator@example.jp").await;
    let recipient: Uuid = sqlx::query_scalar(
        "insert into recipients (office_id, last_name, first_name, last_name_kana, first_name_kana,
             search_text, birth_date, gender, service_type, contract_date, address,
             form_of_residence, means_of_transportation, tel, disability_or_disease_name,
             livelihood_protection)
         select office_id, '佐藤', '次郎', 'さとう', 'じろう', '佐藤次郎さとうじろう', '1990-01-01',
             'male', 'type_B_office', '2026-01-01', '東京都', 'home_alone', 'walk',
             '03-1234-5678', '知的障害', 'not_receiving'
         from staffs where id = $1
         returning id",
    )
    .bind(staff_b)
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    // A pending employee request of office B, and a notice of B's owner.
    let approval: Uuid = sqlx::query_scalar(
        "insert into approval_requests (office_id, requester_id, action_type, resource_id,
             payload, base_version)
         select office_id, id, 'delete', $2, '{\"action\": \"delete\"}', 1 from staffs where id = $1
         returning id",
    )
    .bind(staff_b)
    .bind(recipient)
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    let notice: Uuid = sqlx::query_scalar(
        "insert into notices (office_id, staff_id, kind, title, approval_request_id)
         select office_id, id, 'employee_action_pending', 'B', $2 from staffs
         where office_id = (select office_id from staffs where id = $1) and role = 'owner'
         returning id",
    )
    .bind(staff_b)
    .bind(approval)
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    let assessment: Uuid = sqlx::query_scalar(
        "insert into assessment_entries (office_id, recipient_id, section, data, created_by,
             updated_by)
         select office_id, $2, 'issue_analysis', '{\"other\": \"B\"}', id, id from staffs
         where id = $1
         returning id",
    )
    .bind(staff_b)
    .bind(recipient)
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    // Office B's plan: cycle 1 with its steps, a document and one version.
    let cycle: Uuid = sqlx::query_scalar(
        "insert into plan_cycles (office_id, recipient_id, cycle_number, cycle_start_date,
             next_plan_start_days)
         select office_id, $2, 1, '2026-04-01', 7 from staffs where id = $1
         returning id",
    )
    .bind(staff_b)
    .bind(recipient)
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    sqlx::query(
        "insert into plan_steps (cycle_id, office_id, step)
         select $1, office_id, s.step from plan_cycles,
              unnest(enum_range(null::plan_step)) as s (step) where id = $1",
    )
    .bind(cycle)
    .execute(&app.state.db)
    .await
    .unwrap();
    let version: Uuid = sqlx::query_scalar(
        "with d as (
             insert into plan_documents (office_id, recipient_id, cycle_id, doc_type)
             select office_id, recipient_id, id, 'assessment_sheet' from plan_cycles where id = $1
             returning id, office_id)
         insert into document_versions (office_id, document_id, version, storage_key, file_name,
             byte_size, sha256, uploaded_by_name)
         select office_id, id, 1, 'offices/b/v1.pdf', 'B.pdf', 100, sha256('b'), 'B' from d
         returning id",
    )
    .bind(cycle)
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    World {
        owner_a,
        manager_a,
        employee_a,
        employee_b,
        app_admin,
        foreign: Foreign {
            staff: staff_b,
            invitation,
            session,
            role_request,
            recipient,
            approval,
            notice,
            assessment,
            cycle,
            version,
        },
    }
}

/// Office B's rows that the calls above must not have touched.
async fn office_b_snapshot(pool: &PgPool, f: &Foreign) -> Value {
    let staff: (String, bool, bool) = sqlx::query_as(
        "select role::text, mfa_required, deleted_at is null from staffs where id = $1",
    )
    .bind(f.staff)
    .fetch_one(pool)
    .await
    .unwrap();
    let invitation: (String, Vec<u8>) =
        sqlx::query_as("select status::text, token_hash from invitations where id = $1")
            .bind(f.invitation)
            .fetch_one(pool)
            .await
            .unwrap();
    let request: String =
        sqlx::query_scalar("select status::text from role_change_requests where id = $1")
            .bind(f.role_request)
            .fetch_one(pool)
            .await
            .unwrap();
    let live_sessions: i64 = sqlx::query_scalar(
        "select count(*) from sessions where staff_id = $1 and revoked_at is null",
    )
    .bind(f.staff)
    .fetch_one(pool)
    .await
    .unwrap();
    let recipient: (i32, String, String) =
        sqlx::query_as("select version, address, status from recipients where id = $1")
            .bind(f.recipient)
            .fetch_one(pool)
            .await
            .unwrap();
    let approval: String =
        sqlx::query_scalar("select status::text from approval_requests where id = $1")
            .bind(f.approval)
            .fetch_one(pool)
            .await
            .unwrap();
    let notice: (bool, bool) =
        sqlx::query_as("select read_at is null, resolved_at is null from notices where id = $1")
            .bind(f.notice)
            .fetch_one(pool)
            .await
            .unwrap();
    let assessment: (i32, Value) =
        sqlx::query_as("select version, data from assessment_entries where id = $1")
            .bind(f.assessment)
            .fetch_one(pool)
            .await
            .unwrap();
    let assessment = json!([assessment.0, assessment.1]);
    let plan: (i16, i64, i64) = sqlx::query_as(
        "select c.next_plan_start_days,
                (select count(*) from plan_steps s where s.cycle_id = c.id and s.status <> 'incomplete'),
                (select count(*) from document_versions v where v.deleted_at is null
                   and v.office_id = c.office_id)
         from plan_cycles c where c.id = $1",
    )
    .bind(f.cycle)
    .fetch_one(pool)
    .await
    .unwrap();
    json!({"staff": [staff.0, staff.1, staff.2], "invitation": [invitation.0, invitation.1],
           "sessions": live_sessions, "role_request": request,
           "recipient": [recipient.0, recipient.1, recipient.2], "approval": approval,
           "assessment": assessment, "plan": [plan.0, plan.1, plan.2],
           "notice": [notice.0, notice.1]})
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn other_offices_ids_are_not_found_and_untouched(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let w = world(&app).await;
    let before = office_b_snapshot(&pool, &w.foreign).await;
    let mut checked = 0;
    for case in CASES {
        let Some(foreign) = case.foreign else {
            continue;
        };
        let (status, body) = call(&w.owner_a, case.path, &foreign(&w.foreign)).await;
        assert_eq!(
            (status, body["code"].as_str()),
            (404, Some("NOT_FOUND")),
            "{} → {body}",
            case.path
        );
        checked += 1;
    }
    assert!(checked >= 20);
    assert_eq!(office_b_snapshot(&pool, &w.foreign).await, before);
    assert_ne!(
        w.employee_b.session().await["user"],
        Value::Null,
        "B's staff still signed in"
    );
    // Lists only ever show one's own office.
    let staff: Value = w.owner_a.get("/api/staff").await.json().await.unwrap();
    assert!(
        staff
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["id"] != json!(w.foreign.staff))
    );
    let invitations: Value = w
        .owner_a
        .get("/api/invitations")
        .await
        .json()
        .await
        .unwrap();
    assert!(
        invitations
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["id"] != json!(w.foreign.invitation))
    );
    let directory: Value = w
        .employee_a
        .get("/api/staff/directory")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(directory.as_array().unwrap().len(), 3);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn lower_roles_are_forbidden_and_anonymous_callers_unauthenticated(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let w = world(&app).await;
    let anonymous = app.browser().await;
    let before = office_b_snapshot(&pool, &w.foreign).await;
    for case in CASES {
        let body = any_body(&w.foreign);
        match case.access {
            Access::Public => continue,
            Access::Account => {}
            Access::Office(min) => {
                // app_admins have no office and get no TenantCtx (SPEC §16.7).
                let (status, error) = call(&w.app_admin, case.path, &body).await;
                assert_eq!(
                    (status, error["code"].as_str()),
                    (403, Some("FORBIDDEN")),
                    "{} as app_admin → {error}",
                    case.path
                );
                let lower: &[(&str, &Browser)] = match min {
                    "owner" => &[("manager", &w.manager_a), ("employee", &w.employee_a)],
                    "manager" => &[("employee", &w.employee_a)],
                    _ => &[],
                };
                for (role, browser) in lower {
                    let (status, error) = call(browser, case.path, &body).await;
                    assert_eq!(
                        (status, error["code"].as_str()),
                        (403, Some("FORBIDDEN")),
                        "{} as {role} → {error}",
                        case.path
                    );
                }
            }
            Access::AppAdmin => {
                let office_staff = [&w.owner_a, &w.manager_a, &w.employee_a];
                for browser in office_staff {
                    let (status, error) = call(browser, case.path, &body).await;
                    assert_eq!(
                        (status, error["code"].as_str()),
                        (403, Some("FORBIDDEN")),
                        "{} as office staff → {error}",
                        case.path
                    );
                }
                let (status, _) = call(&w.app_admin, case.path, &body).await;
                assert_eq!(status, 200, "{} as app_admin", case.path);
            }
        }
        let (status, error) = call(&anonymous, case.path, &body).await;
        assert_eq!(
            (status, error["code"].as_str()),
            (401, Some("UNAUTHENTICATED")),
            "{} anonymous → {error}",
            case.path
        );
    }
    assert_eq!(office_b_snapshot(&pool, &w.foreign).await, before);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn uploads_check_the_caller_before_reading_anything(pool: PgPool) {
    use support::plan::{pdf, upload};
    let app = spawn_app(pool.clone()).await;
    let w = world(&app).await;
    let before = office_b_snapshot(&pool, &w.foreign).await;
    let meta = json!({"recipient_id": w.foreign.recipient, "cycle_id": w.foreign.cycle,
                      "doc_type": "assessment_sheet"});
    let r = upload(&w.owner_a, meta.clone(), "a.pdf", pdf("a")).await;
    assert_eq!(r.status(), 404);
    let r = upload(&w.employee_a, meta.clone(), "a.pdf", pdf("a")).await;
    assert_eq!(r.status(), 403);
    let r = upload(&w.app_admin, meta.clone(), "a.pdf", pdf("a")).await;
    assert_eq!(r.status(), 403);
    let anonymous = app.browser().await;
    let r = upload(&anonymous, meta, "a.pdf", pdf("a")).await;
    assert_eq!(r.status(), 401);
    assert_eq!(office_b_snapshot(&pool, &w.foreign).await, before);
    let intents: i64 = sqlx::query_scalar("select count(*) from upload_intents")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(intents, 0);
}
