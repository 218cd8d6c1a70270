//! Support-plan cycles (SPEC §6) through the documented functions on real PostgreSQL, documents
//! on the local disk: a whole cycle with uploads and consent opening the next one, the step order,
//! the order guard with overrides in both modes, reopening, date corrections, the アセスメント
//! 開始期限 days (employees through approval) and what employees may not do.

mod support;

use serde_json::{Value, json};
use sqlx::PgPool;
use support::{
    Browser, TestApp,
    people::{enable_mfa, invited, owner, staff_id},
    plan::{
        complete_with_upload, completion, consent, create_recipient, doc_type, latest, pdf, plan,
        recipient, upload,
    },
    spawn_app,
};
use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

fn today() -> Date {
    shared::dates::jst_date(OffsetDateTime::now_utc())
}

/// `today − days` as the API writes dates.
fn ago(days: i64) -> String {
    shared::dates::format_date_iso(today() - Duration::days(days))
}

async fn manager(app: &TestApp) -> (Browser, Uuid) {
    let mut owner = owner(app, "owner@example.jp", Some("ひまわり作業所")).await;
    enable_mfa(&owner).await;
    owner.refresh_csrf().await;
    let id = staff_id(&owner).await;
    (owner, id)
}

fn step<'a>(cycle: &'a Value, name: &str) -> &'a Value {
    cycle["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["step"] == name)
        .unwrap()
}

async fn post(browser: &Browser, path: &str, body: Value) -> (u16, Value) {
    let r = browser.post(path, body).await;
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn a_whole_cycle_with_consent_opens_the_next_one(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let (owner, me) = manager(&app).await;
    let id = create_recipient(&owner, recipient("山田", "type_B_office", &ago(90), None)).await;

    let page = plan(&owner, id).await;
    assert_eq!(page["cycles"].as_array().unwrap().len(), 1);
    assert_eq!(latest(&page)["current_step"], "assessment");
    assert_eq!(page["can_write"], true);
    assert_eq!(page["deadlines"]["assessment_start"]["days"], 7);

    let (status, done) = complete_with_upload(&owner, id, "assessment", &ago(80), me).await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(done["version"], 1);
    assert_eq!(done["completed"]["step"], "assessment");

    // G6: a later step cannot complete, by upload or with a version.
    let (status, refused) = complete_with_upload(&owner, id, "staff_meeting", &ago(70), me).await;
    assert_eq!(
        (status, refused["code"].as_str()),
        (409, Some("CONFLICT")),
        "{refused}"
    );
    let cycle = latest(&plan(&owner, id).await)["id"].clone();
    let assessment_version =
        step(latest(&plan(&owner, id).await), "assessment")["completed_with"].clone();
    let (status, refused) = post(
        &owner,
        "/api/plan/steps/complete",
        json!({"cycle_id": cycle, "step": "staff_meeting", "version_id": assessment_version,
               "input": completion(&ago(70), me)}),
    )
    .await;
    assert_eq!(status, 409);
    assert_eq!(
        refused["message_ja"],
        "現在のステップは「個別支援計画書 原案」です。「担当者会議」はまだ完了できません"
    );

    for (name, days) in [("draft_plan", 70), ("staff_meeting", 60)] {
        let (status, done) = complete_with_upload(&owner, id, name, &ago(days), me).await;
        assert_eq!(status, 200, "{name}: {done}");
    }

    // Step 4 needs the consent on the current draft (G5).
    let (status, refused) =
        complete_with_upload(&owner, id, "final_plan_signed", &ago(50), me).await;
    assert_eq!(status, 409, "{refused}");
    assert!(
        refused["message_ja"]
            .as_str()
            .unwrap()
            .contains("同意が記録されていません")
    );
    let (status, body) = consent(&owner, id, &ago(55)).await;
    assert_eq!(status, 200, "{body}");
    // A newer draft makes the consent stale.
    let meta = json!({"recipient_id": id, "cycle_id": cycle, "doc_type": "draft_plan_pdf",
                      "reason": "誤字の修正"});
    let r = upload(&owner, meta, "原案 第2版.pdf", pdf("draft v2")).await;
    assert_eq!(r.status(), 200);
    let page = plan(&owner, id).await;
    assert_eq!(latest(&page)["consent"]["stale"], true);
    let draft = step(latest(&page), "draft_plan");
    let versions = draft["document"]["versions"].as_array().unwrap();
    assert_eq!(
        (
            versions.len(),
            versions[0]["version"].as_i64(),
            versions[0]["file_name"].as_str()
        ),
        (2, Some(2), Some("原案 第2版.pdf"))
    );
    assert_eq!(versions[0]["current"], true);
    assert_eq!(versions[1]["completes_step"], true);
    let (status, refused) =
        complete_with_upload(&owner, id, "final_plan_signed", &ago(50), me).await;
    assert_eq!(status, 409);
    assert_eq!(
        refused["message_ja"],
        "原案が更新されたため、改めて同意を得てください"
    );
    let (status, _) = consent(&owner, id, &ago(54)).await;
    assert_eq!(status, 200);
    let (status, done) = complete_with_upload(&owner, id, "final_plan_signed", &ago(50), me).await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(done["completed"]["warnings"], json!([]));

    let page = plan(&owner, id).await;
    let cycle1 = latest(&page);
    let delivered = today() - Duration::days(50);
    let valid_until = shared::dates::period_end(delivered, 6).unwrap();
    assert_eq!(
        cycle1["valid_until"],
        shared::dates::format_date_iso(valid_until)
    );
    assert_eq!(cycle1["current_step"], "monitoring");
    assert_eq!(
        page["deadlines"]["monitoring_due"]["date"],
        shared::dates::format_date_iso(valid_until - Duration::days(30))
    );

    // G4: monitoring needs the interview.
    let meta = json!({"recipient_id": id, "cycle_id": cycle, "doc_type": "monitoring_report_pdf",
                      "completion": {"date": ago(1), "performed_by": me.to_string()}});
    let r = upload(&owner, meta, "m.pdf", pdf("m")).await;
    assert_eq!(r.status(), 422);
    let body: Value = r.json().await.unwrap();
    assert_eq!(
        body["field_errors"][0]["message_ja"],
        "モニタリングには本人との面接の記録が必要です"
    );

    let (status, done) = complete_with_upload(&owner, id, "monitoring", &ago(1), me).await;
    assert_eq!(status, 200, "{done}");
    let next = done["completed"]["next_cycle_id"]
        .as_str()
        .expect("the next cycle")
        .to_owned();
    let page = plan(&owner, id).await;
    let cycles = page["cycles"].as_array().unwrap();
    assert_eq!(cycles.len(), 2);
    let cycle2 = latest(&page);
    assert_eq!(
        (
            cycle2["id"].as_str(),
            cycle2["number"].as_i64(),
            cycle2["status"].as_str()
        ),
        (Some(next.as_str()), Some(2), Some("open"))
    );
    // The next cycle starts on the recorded monitoring date; its plan is due when cycle 1's
    // plan runs out.
    assert_eq!(cycle2["start_date"], ago(1));
    assert_eq!(
        cycle2["plan_due_date"],
        shared::dates::format_date_iso(valid_until)
    );
    assert_eq!(cycles[1]["status"], "closed");
    assert_eq!(cycles[1]["reopenable"], "monitoring");

    // Reopening monitoring while cycle 2 is untouched removes cycle 2.
    let (status, body) = post(
        &owner,
        "/api/plan/steps/reopen",
        json!({"cycle_id": cycle, "step": "monitoring", "reason": "日付の入力誤り"}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let page = plan(&owner, id).await;
    assert_eq!(page["cycles"].as_array().unwrap().len(), 1);
    assert_eq!(latest(&page)["status"], "open");
    assert_eq!(latest(&page)["current_step"], "monitoring");
    // Only the last completed step can be reopened.
    let (status, _) = post(
        &owner,
        "/api/plan/steps/reopen",
        json!({"cycle_id": cycle, "step": "draft_plan", "reason": "理由"}),
    )
    .await;
    assert_eq!(status, 409);
    let (status, _) = complete_with_upload(&owner, id, "monitoring", &ago(2), me).await;
    assert_eq!(status, 200);
    assert_eq!(latest(&plan(&owner, id).await)["start_date"], ago(2));

    let audited: Vec<String> = sqlx::query_scalar(
        "select action from audit_logs where action like 'plan.%' or action like 'document.%'
         order by id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    for action in [
        "document.uploaded",
        "plan.step_completed",
        "plan.consent_recorded",
        "plan.step_reopened",
        "plan.cycle_created",
    ] {
        assert!(audited.iter().any(|a| a == action), "{action}: {audited:?}");
    }
    // A recipient with plan records is archived, never deleted.
    let (status, body) = post(
        &owner,
        "/api/recipients/delete",
        json!({"id": id, "version": 1}),
    )
    .await;
    assert_eq!(status, 409, "{body}");
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn the_order_guard_blocks_until_a_reason_is_given_or_only_warns(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let (owner, me) = manager(&app).await;
    let id = create_recipient(&owner, recipient("鈴木", "type_B_office", &ago(90), None)).await;
    let (status, _) = complete_with_upload(&owner, id, "assessment", &ago(40), me).await;
    assert_eq!(status, 200);

    // A draft dated before the assessment: STEP_ORDER_VIOLATION naming the pair, nothing stored.
    let (status, refused) = complete_with_upload(&owner, id, "draft_plan", &ago(45), me).await;
    assert_eq!(
        (status, refused["code"].as_str()),
        (409, Some("STEP_ORDER_VIOLATION"))
    );
    let expected = {
        let a = today() - Duration::days(40);
        let b = today() - Duration::days(45);
        let md = |d: Date| format!("{}月{}日", u8::from(d.month()), d.day());
        if a.year() == b.year() {
            format!(
                "面接実施日（{}）は原案作成日（{}）以前である必要があります",
                md(a),
                md(b)
            )
        } else {
            format!(
                "面接実施日（{}年{}）は原案作成日（{}年{}）以前である必要があります",
                a.year(),
                md(a),
                b.year(),
                md(b)
            )
        }
    };
    assert_eq!(refused["message_ja"], expected);
    let versions: i64 = sqlx::query_scalar(
        "select count(*) from document_versions v join plan_documents d on d.id = v.document_id
         where d.doc_type = 'draft_plan_pdf'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(versions, 0);

    // A reason too short, then a proper one.
    let cycle = latest(&plan(&owner, id).await)["id"].clone();
    let mut form = completion(&ago(45), me);
    form["override_reason"] = json!("短い");
    let meta = json!({"recipient_id": id, "cycle_id": cycle, "doc_type": "draft_plan_pdf",
                      "completion": form});
    let r = upload(&owner, meta.clone(), "d.pdf", pdf("d")).await;
    assert_eq!(r.status(), 422);
    let mut meta = meta;
    meta["completion"]["override_reason"] =
        json!("原案を面接前の情報で先行作成し、面接後に確認したため");
    let r = upload(&owner, meta, "d.pdf", pdf("d")).await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let page = plan(&owner, id).await;
    let exception = &step(latest(&page), "draft_plan")["order_exception"];
    assert_eq!(exception["rules"], json!(["G2"]));
    assert_eq!(
        exception["reason"],
        "原案を面接前の情報で先行作成し、面接後に確認したため"
    );
    assert_eq!(latest(&page)["has_exception"], true);
    assert_eq!(page["risk"]["docs"], true);
    let overrides: i64 =
        sqlx::query_scalar("select count(*) from audit_logs where action = 'plan.order_override'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(overrides, 1);

    // In warn mode the exception is noted without a reason; a future date is G3.
    let mut settings: Value = owner
        .get("/api/office/plan-settings")
        .await
        .json()
        .await
        .unwrap();
    settings["order_guard"] = json!("warn");
    let input = json!({
        "review_intervals": settings["review_intervals"].as_array().unwrap().iter()
            .map(|r| json!([r["service_type"], ""])).collect::<Vec<_>>(),
        "next_plan_start_days_default": "7", "first_plan_due_months": "1",
        "monitoring_lead_days": "30", "order_guard": "warn"});
    let (status, body) = post(
        &owner,
        "/api/office/plan-settings/update",
        json!({"input": input}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let tomorrow = shared::dates::format_date_iso(today() + Duration::days(1));
    let (status, done) = complete_with_upload(&owner, id, "staff_meeting", &tomorrow, me).await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(done["completed"]["exception_recorded"], true);
    let page = plan(&owner, id).await;
    let exception = &step(latest(&page), "staff_meeting")["order_exception"];
    assert_eq!(exception["rules"], json!(["G3"]));
    assert_eq!(exception["reason"], Value::Null);

    // 「日付を修正」 fixes the date: the exception goes.
    let (status, body) = post(
        &owner,
        "/api/plan/steps/dates",
        json!({"cycle_id": cycle, "step": "staff_meeting",
               "input": {"date": ago(30), "reason": "開催日の入力誤り"}}),
    )
    .await;
    assert_eq!((status, &body), (200, &json!(false)));
    let page = plan(&owner, id).await;
    assert_eq!(
        step(latest(&page), "staff_meeting")["order_exception"],
        Value::Null
    );
    assert_eq!(step(latest(&page), "staff_meeting")["date"], ago(30));
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn employees_read_only_and_ask_for_the_assessment_start_days(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let (owner, me) = manager(&app).await;
    let (mut employee, _) = invited(&app, &owner, "employee@example.jp", "employee").await;
    enable_mfa(&employee).await;
    employee.refresh_csrf().await;
    let id = create_recipient(&owner, recipient("佐藤", "type_B_office", &ago(30), None)).await;

    let page = plan(&employee, id).await;
    assert_eq!(page["can_write"], false);
    assert!(
        page["read_only_reason"]
            .as_str()
            .unwrap()
            .starts_with("閲覧専用モード")
    );
    let (status, refused) = complete_with_upload(&employee, id, "assessment", &ago(1), me).await;
    assert_eq!(status, 403);
    assert_eq!(
        refused["message_ja"],
        "従業員の権限では書類をアップロードできません"
    );
    let cycle = latest(&page)["id"].clone();
    let (status, _) = post(
        &employee,
        "/api/plan/steps/reopen",
        json!({"cycle_id": cycle, "step": "assessment", "reason": "x"}),
    )
    .await;
    assert_eq!(status, 403);

    // The days: out of range for everyone; an employee's change waits for approval.
    let (status, _) = post(
        &owner,
        "/api/plan/next-plan-start-days",
        json!({"recipient_id": id, "days": 31}),
    )
    .await;
    assert_eq!(status, 422);
    let (status, body) = post(
        &employee,
        "/api/plan/next-plan-start-days",
        json!({"recipient_id": id, "days": 21, "note": "家族の都合で面接が遅れるため"}),
    )
    .await;
    assert_eq!(
        (status, body["outcome"].as_str()),
        (200, Some("pending_approval")),
        "{body}"
    );
    assert_eq!(plan(&owner, id).await["pending_days_request"], true);
    assert_eq!(latest(&plan(&owner, id).await)["next_plan_start_days"], 7);
    let request = body["request_id"].clone();
    let detail: Value = owner
        .get(&format!(
            "/api/approvals/get?id={}",
            request.as_str().unwrap()
        ))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(detail["changes"][0]["after"], "21日");
    assert_eq!(detail["changes"][0]["before"], "7日");
    let (status, body) = post(
        &owner,
        "/api/approvals/decide",
        json!({"id": request, "approve": true}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let page = plan(&owner, id).await;
    assert_eq!(latest(&page)["next_plan_start_days"], 21);
    assert_eq!(page["deadlines"]["assessment_start"]["days"], 21);
    // A manager sets it directly.
    let (status, body) = post(
        &owner,
        "/api/plan/next-plan-start-days",
        json!({"recipient_id": id, "days": 10}),
    )
    .await;
    assert_eq!((status, body["outcome"].as_str()), (200, Some("saved")));
    assert_eq!(latest(&plan(&owner, id).await)["next_plan_start_days"], 10);

    // A recipient without plan records may still be deleted as a mistake.
    let (status, body) = post(
        &owner,
        "/api/recipients/delete",
        json!({"id": id, "version": 1}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn archiving_ends_the_cycle_and_restoring_opens_it(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let (owner, me) = manager(&app).await;
    let id = create_recipient(&owner, recipient("高橋", "type_B_office", &ago(30), None)).await;
    let (status, _) = complete_with_upload(&owner, id, "assessment", &ago(10), me).await;
    assert_eq!(status, 200);
    let (status, body) = post(
        &owner,
        "/api/recipients/archive",
        json!({"id": id, "version": 1, "input": {"end_date": ago(1), "end_reason": "moved"}}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let page = plan(&owner, id).await;
    assert_eq!(latest(&page)["status"], "ended");
    assert_eq!(page["can_write"], false);
    let (status, refused) = complete_with_upload(&owner, id, "draft_plan", &ago(1), me).await;
    assert_eq!(status, 409, "{refused}");
    let (status, _) = post(
        &owner,
        "/api/recipients/restore",
        json!({"id": id, "version": 2}),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(latest(&plan(&owner, id).await)["status"], "open");
    let (status, _) = complete_with_upload(&owner, id, "draft_plan", &ago(1), me).await;
    assert_eq!(status, 200);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn one_document_can_be_the_consented_draft_and_the_signed_plan(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let (owner, me) = manager(&app).await;
    let id = create_recipient(&owner, recipient("伊藤", "type_B_office", &ago(90), None)).await;
    for (name, days) in [
        ("assessment", 80),
        ("draft_plan", 70),
        ("staff_meeting", 60),
    ] {
        let (status, _) = complete_with_upload(&owner, id, name, &ago(days), me).await;
        assert_eq!(status, 200);
    }
    let (status, _) = consent(&owner, id, &ago(55)).await;
    assert_eq!(status, 200);
    let page = plan(&owner, id).await;
    let cycle = latest(&page)["id"].clone();
    let draft_version = latest(&page)["consent"]["draft_version_id"].clone();
    let (status, done) = post(
        &owner,
        "/api/plan/steps/complete",
        json!({"cycle_id": cycle, "step": "final_plan_signed", "version_id": draft_version,
               "input": {"date": ago(50), "handed_over": true}}),
    )
    .await;
    assert_eq!(status, 200, "{done}");
    // G8: not セルフプラン and no 相談支援事業所への交付日 — a warning only.
    assert_eq!(done["warnings"].as_array().unwrap().len(), 1);
    // The version that completed a step cannot be deleted.
    let (status, body) = post(
        &owner,
        "/api/documents/versions/delete",
        json!({"version_id": draft_version, "reason": "誤ってアップロード"}),
    )
    .await;
    assert_eq!(status, 409, "{body}");
    let _ = doc_type("assessment");
}
