//! The dialogs of the plan page. Every form is parsed by its `shared` type on each change (the
//! messages show once sending was tried); the order guard runs on the typed dates to warn before
//! sending, and the server decides again. Files are checked by the shared upload rule before
//! they are sent.

use super::{Action, PlanContext};
use crate::{
    api::{
        documents::delete_document_version,
        plan::{complete_step, edit_step_dates, record_consent, reopen_step},
    },
    components::{
        fields::{
            Bound, CheckField, FieldFrame, InputField, RadioField, SelectField, TextAreaField,
            choices,
        },
        form::{FormAlert, FormState},
        upload::{ChosenFile, PdfDropzone, send},
    },
};
use leptos::{prelude::*, task::spawn_local};
use shared::{
    AppError, ErrorCode, FieldError,
    dates::read_date,
    document::{DocType, OpenLink, UploadMeta, parse_version_reason},
    plan::{
        OrderGuardMode, PlanStep,
        forms::{
            ConsentInput, ConsentMethod, ConsenterRelation, StepCompletionInput, StepDatesInput,
            parse_reopen_reason,
        },
        guard::{self, DateField},
        views::CycleView,
    },
};
use uuid::Uuid;

pub(super) fn dialog_body(ctx: PlanContext, action: Action) -> AnyView {
    match action {
        Action::Complete { cycle, step } => {
            view! { <CompleteForm ctx cycle=*cycle step /> }.into_any()
        }
        Action::Consent { cycle } => view! { <ConsentForm ctx cycle=*cycle /> }.into_any(),
        Action::Reopen { cycle_id, step } => view! { <ReopenForm ctx cycle_id step /> }.into_any(),
        Action::Dates { cycle, step } => view! { <DatesForm ctx cycle=*cycle step /> }.into_any(),
        Action::AddVersion {
            cycle_id,
            closed,
            doc_type,
        } => view! { <VersionForm ctx cycle_id closed doc_type /> }.into_any(),
        Action::DeleteVersion { version_id, .. } => {
            view! { <DeleteForm ctx version_id /> }.into_any()
        }
        Action::Preview(link) => view! { <Preview link /> }.into_any(),
    }
}

/// The G1–G3 findings for `field` at `date`, as the browser can tell before sending.
fn findings(
    ctx: PlanContext,
    cycle: &CycleView,
    field: DateField,
    set: impl Fn(&mut guard::CycleDates),
) -> Vec<String> {
    let plan = ctx.plan.get_value();
    let today = read_date(&plan.today).unwrap_or(time::Date::MIN);
    let mut dates = cycle.guard_dates(plan.recipient.contract_date.as_deref());
    set(&mut dates);
    guard::check_field(&dates, today, field)
        .into_iter()
        .map(|v| v.message)
        .collect()
}

/// The form's alert, except for a guard refusal: [`GuardNotice`] shows that one with what to do.
fn alert(form: FormState) -> Signal<Option<String>> {
    let alert = form.alert();
    Signal::derive(move || {
        let guard = form.server_error.with(|e| {
            e.as_ref()
                .is_some_and(|e| e.code == ErrorCode::StepOrderViolation)
        });
        if guard { None } else { alert.get() }
    })
}

/// What the order guard says while the dates are typed, and the override reason when the office
/// blocks (in `warn` mode the exception is noted without one).
#[component]
fn GuardNotice(
    found: Memo<Vec<String>>,
    mode: OrderGuardMode,
    reason: Bound<String>,
    message: Signal<Option<String>>,
    form: FormState,
) -> impl IntoView {
    let blocked_by_server = Signal::derive(move || {
        form.server_error.with(|e| {
            e.as_ref()
                .is_some_and(|e| e.code == ErrorCode::StepOrderViolation)
        })
    });
    let shown = move || !found.with(Vec::is_empty) || blocked_by_server.get();
    // What the browser found, or else the pairs the server named.
    let lines = move || {
        let local = found.get();
        if !local.is_empty() {
            return local;
        }
        form.server_error.with(|e| {
            e.as_ref()
                .filter(|e| e.code == ErrorCode::StepOrderViolation)
                .map(|e| e.message_ja.lines().map(str::to_owned).collect())
                .unwrap_or_default()
        })
    };
    view! {
        <Show when=shown>
            <div class="notice notice--warn" role="status">
                <p><strong>"手順の順序・日付の確認"</strong></p>
                <ul>{move || lines().into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}</ul>
                {match mode {
                    OrderGuardMode::Block => view! {
                        <p>"このままでは完了できません。日付を見直すか、やむを得ない理由を入力すると「順序例外」として記録して完了できます。"</p>
                    }.into_any(),
                    OrderGuardMode::Warn => view! {
                        <p>"完了すると「順序例外」として記録されます。"</p>
                    }.into_any(),
                }}
            </div>
            {(mode == OrderGuardMode::Block).then(|| view! {
                <TextAreaField
                    frame=FieldFrame::new("override_reason", "例外とする理由（10〜500文字）", message)
                    value=reason
                    on_edit=Callback::new(move |()| form.edited())
                />
            })}
        </Show>
    }
}

/// The live versions a step may complete with: its own document's, and for step 4 the
/// consented 原案 (one document may serve as both, §6.7).
fn existing_versions(cycle: &CycleView, step: PlanStep) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut add = |doc: Option<&shared::document::DocumentView>| {
        if let Some(doc) = doc {
            for v in doc.versions.iter().filter(|v| v.deleted.is_none()) {
                out.push((
                    v.id.to_string(),
                    format!(
                        "{}（{} 第{}版）",
                        v.file_name,
                        doc.doc_type.label(),
                        v.version
                    ),
                ));
            }
        }
    };
    add(cycle.step(step).and_then(|s| s.document.as_ref()));
    if step == PlanStep::FinalPlanSigned
        && let Some(consent) = &cycle.consent
        && !consent.stale
    {
        let draft = cycle
            .step(PlanStep::DraftPlan)
            .and_then(|s| s.document.as_ref())
            .and_then(|d| d.versions.iter().find(|v| v.id == consent.draft_version_id))
            .map(|v| {
                (
                    v.id.to_string(),
                    format!("{}（同意を得た原案 第{}版）", v.file_name, v.version),
                )
            });
        out.extend(draft);
    }
    out
}

#[component]
fn CompleteForm(ctx: PlanContext, cycle: CycleView, step: PlanStep) -> impl IntoView {
    let plan = ctx.plan.get_value();
    let input = RwSignal::new(StepCompletionInput {
        date: plan.today.clone(),
        performed_by: ctx.me.to_string(),
        ..StepCompletionInput::default()
    });
    let form = FormState::new();
    let existing = existing_versions(&cycle, step);
    let source = RwSignal::new("upload".to_owned());
    let version = RwSignal::new(String::new());
    let chosen = RwSignal::new(None::<ChosenFile>);
    let file_error = RwSignal::new(None::<String>);
    let progress = RwSignal::new(0u8);
    let busy = RwSignal::new(false);
    let local = Memo::new(move |_| {
        let mut errors = input.with(|i| i.parse(step).err().unwrap_or_default());
        if source.with(|s| s == "existing") && version.with(String::is_empty) {
            errors.push(FieldError::new("version", "使う書類の版を選択してください"));
        }
        errors
    });
    let found = {
        let cycle = cycle.clone();
        Memo::new(move |_| {
            let date = input.with(|i| read_date(&i.date).ok());
            match date {
                Some(date) => findings(ctx, &cycle, DateField::of_step(step), |d| {
                    d.set_step(step, Some(date))
                }),
                None => Vec::new(),
            }
        })
    };
    let message = move |field: &'static str| form.message(local, field);
    let text = move |get: fn(&StepCompletionInput) -> &String,
                     set: fn(&mut StepCompletionInput) -> &mut String| {
        Bound::new(input, move |s| get(s).clone(), move |s, v| *set(s) = v)
    };
    let flag = move |get: fn(&StepCompletionInput) -> bool,
                     set: fn(&mut StepCompletionInput) -> &mut bool| {
        Bound::new(input, get, move |s, v| *set(s) = v)
    };
    let edited = Callback::new(move |()| form.edited());
    let staff = plan.staff.clone();
    let staff_options: Vec<(String, String)> = staff
        .iter()
        .map(|(id, name)| (id.to_string(), name.clone()))
        .collect();
    let cycle_id = cycle.id;
    let recipient_id = plan.recipient.id;
    let has_existing = !existing.is_empty();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !form.try_submit(local) {
            return;
        }
        let completion = input.get_untracked();
        let use_existing = source.get_untracked() == "existing";
        if !use_existing && chosen.with_untracked(Option::is_none) {
            file_error.set(Some("PDFファイルを選択してください".into()));
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let result = if use_existing {
                match version.get_untracked().parse::<Uuid>() {
                    Ok(version_id) => complete_step(cycle_id, step, completion, version_id)
                        .await
                        .map(|_| ()),
                    Err(_) => Err(AppError::new(ErrorCode::ValidationFailed)),
                }
            } else {
                let meta = UploadMeta {
                    recipient_id: Some(recipient_id),
                    cycle_id: Some(cycle_id),
                    doc_type: step.doc_type().as_str().to_owned(),
                    reason: String::new(),
                    completion: Some(completion),
                };
                match chosen.get_untracked() {
                    Some(file) => send(&meta, &file, progress).await.map(|_| ()),
                    None => Err(AppError::new(ErrorCode::ValidationFailed)),
                }
            };
            busy.set(false);
            match result {
                Ok(()) => ctx.done(),
                Err(e) => form.server_failed(e),
            }
        });
    };
    let dropzone_id = format!("upload-{}-{}", cycle.number, step.as_str());
    view! {
        <form class="form" novalidate on:submit=submit>
            <FormAlert message=alert(form) />
            <InputField frame=FieldFrame::new("date", step.date_label(), message("date")).required() kind="date" value=text(|i| &i.date, |i| &mut i.date) on_edit=edited />
            {step.needs_interview().then(|| view! {
                <CheckField frame=FieldFrame::new("interview_done", "本人との面接を実施した", message("interview_done")) value=flag(|i| i.interview_done, |i| &mut i.interview_done) on_edit=edited />
            })}
            {step.records_performer().then(|| view! {
                <SelectField frame=FieldFrame::new("performed_by", "実施者", message("performed_by")).required() value=text(|i| &i.performed_by, |i| &mut i.performed_by) options=staff_options.clone() on_edit=edited />
            })}
            {(step == PlanStep::StaffMeeting).then(|| view! {
                <TextAreaField frame=FieldFrame::new("participants", "参加者（任意・500文字まで）", message("participants")) value=text(|i| &i.participants, |i| &mut i.participants) on_edit=edited />
            })}
            {(step == PlanStep::FinalPlanSigned).then(|| view! {
                <CheckField frame=FieldFrame::new("handed_over", "計画書を本人（家族）に交付した", message("handed_over")) value=flag(|i| i.handed_over, |i| &mut i.handed_over) on_edit=edited />
                <InputField frame=FieldFrame::new("counselling_delivered_date", "相談支援事業所への交付日", message("counselling_delivered_date")).hint("セルフプランでない場合は入力してください（未入力でも完了できます）") kind="date" value=text(|i| &i.counselling_delivered_date, |i| &mut i.counselling_delivered_date) on_edit=edited />
            })}
            <GuardNotice found mode=plan.order_guard reason=text(|i| &i.override_reason, |i| &mut i.override_reason) message=message("override_reason") form />
            <h3>{format!("書類（{}）", step.doc_type().label())}</h3>
            {has_existing.then(|| view! {
                <RadioField
                    frame=FieldFrame::new("source", "書類の指定方法", Signal::derive(|| None))
                    value=Bound { get: source.into(), set: Callback::new(move |v| source.set(v)) }
                    options=vec![("upload".into(), "新しいPDFをアップロードする".into()), ("existing".into(), "アップロード済みの版を使う".into())]
                />
            })}
            <Show when=move || source.with(|s| s == "existing")>
                <SelectField frame=FieldFrame::new("version", "使う版", message("version")).required() value=Bound { get: version.into(), set: Callback::new(move |v| version.set(v)) } options=existing.clone() on_edit=edited />
            </Show>
            <Show when=move || source.with(|s| s == "upload")>
                <PdfDropzone id=dropzone_id.clone() chosen error=file_error />
            </Show>
            <Show when=move || busy.get() && source.with(|s| s == "upload")>
                <label class="progress">
                    "アップロード中"
                    <progress max="100" value=move || progress.get().to_string()>{move || format!("{}%", progress.get())}</progress>
                    {move || format!("{}%", progress.get())}
                </label>
            </Show>
            <p class="button-row">
                <button type="submit" class="button" disabled=move || busy.get()>"完了にする"</button>
                <button type="button" class="button button--secondary" on:click=move |_| ctx.open.set(false)>"キャンセル"</button>
            </p>
        </form>
    }
}

#[component]
fn ConsentForm(ctx: PlanContext, cycle: CycleView) -> impl IntoView {
    let plan = ctx.plan.get_value();
    let input = RwSignal::new(ConsentInput {
        consent_date: plan.today.clone(),
        consenter_name: plan.recipient.name.clone(),
        consenter_relation: ConsenterRelation::Myself.as_str().to_owned(),
        method: ConsentMethod::Paper.as_str().to_owned(),
        ..ConsentInput::default()
    });
    let form = FormState::new();
    let busy = RwSignal::new(false);
    let local = Memo::new(move |_| input.with(|i| i.parse().err().unwrap_or_default()));
    let found = {
        let cycle = cycle.clone();
        Memo::new(
            move |_| match input.with(|i| read_date(&i.consent_date).ok()) {
                Some(date) => findings(ctx, &cycle, DateField::Consent, |d| d.consent = Some(date)),
                None => Vec::new(),
            },
        )
    };
    let message = move |field: &'static str| form.message(local, field);
    let text = move |get: fn(&ConsentInput) -> &String,
                     set: fn(&mut ConsentInput) -> &mut String| {
        Bound::new(input, move |s| get(s).clone(), move |s, v| *set(s) = v)
    };
    let edited = Callback::new(move |()| form.edited());
    let draft = cycle
        .step(PlanStep::DraftPlan)
        .and_then(|s| s.document.as_ref())
        .and_then(|d| d.current().cloned());
    let cycle_id = cycle.id;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !form.try_submit(local) {
            return;
        }
        busy.set(true);
        let consent = input.get_untracked();
        spawn_local(async move {
            let result = record_consent(cycle_id, consent).await;
            busy.set(false);
            match result {
                Ok(_) => ctx.done(),
                Err(e) => form.server_failed(e),
            }
        });
    };
    let other = move || input.with(|i| i.consenter_relation == ConsenterRelation::Other.as_str());
    let electronic = move || input.with(|i| i.method == ConsentMethod::Electronic.as_str());
    view! {
        <form class="form" novalidate on:submit=submit>
            <p>{match draft {
                Some(v) => format!("同意の対象: {}（原案 第{}版）", v.file_name, v.version),
                None => "原案のPDFがまだありません。先に原案をアップロードしてください。".to_owned(),
            }}</p>
            <FormAlert message=alert(form) />
            <InputField frame=FieldFrame::new("consent_date", "同意日", message("consent_date")).required() kind="date" value=text(|i| &i.consent_date, |i| &mut i.consent_date) on_edit=edited />
            <InputField frame=FieldFrame::new("consenter_name", "同意者氏名", message("consenter_name")).required() value=text(|i| &i.consenter_name, |i| &mut i.consenter_name) on_edit=edited />
            <RadioField frame=FieldFrame::new("consenter_relation", "同意者の続柄", message("consenter_relation")).required() value=text(|i| &i.consenter_relation, |i| &mut i.consenter_relation) options=choices(ConsenterRelation::ALL, ConsenterRelation::as_str, ConsenterRelation::label) on_edit=edited />
            <Show when=other>
                <InputField frame=FieldFrame::new("consenter_relation_other", "続柄（その他の内容）", message("consenter_relation_other")).required() value=text(|i| &i.consenter_relation_other, |i| &mut i.consenter_relation_other) on_edit=edited />
            </Show>
            <RadioField frame=FieldFrame::new("method", "同意方法", message("method")).required() value=text(|i| &i.method, |i| &mut i.method) options=choices(ConsentMethod::ALL, ConsentMethod::as_str, ConsentMethod::label) on_edit=edited />
            <Show when=electronic>
                <InputField frame=FieldFrame::new("electronic_prior_consent_date", "電磁的方法についての事前同意日", message("electronic_prior_consent_date")).required() kind="date" value=text(|i| &i.electronic_prior_consent_date, |i| &mut i.electronic_prior_consent_date) on_edit=edited />
            </Show>
            <GuardNotice found mode=plan.order_guard reason=text(|i| &i.override_reason, |i| &mut i.override_reason) message=message("override_reason") form />
            <p class="button-row">
                <button type="submit" class="button" disabled=move || busy.get()>"同意を記録する"</button>
                <button type="button" class="button button--secondary" on:click=move |_| ctx.open.set(false)>"キャンセル"</button>
            </p>
        </form>
    }
}

/// A form with one reason field (reopening a step, deleting a version).
#[component]
fn ReasonForm(
    ctx: PlanContext,
    label: &'static str,
    explanation: &'static str,
    button: &'static str,
    parse: fn(&str) -> Result<String, Vec<FieldError>>,
    submit: Callback<String, ()>,
    form: FormState,
    busy: RwSignal<bool>,
) -> impl IntoView {
    let reason = RwSignal::new(String::new());
    let local = Memo::new(move |_| reason.with(|r| parse(r).err().unwrap_or_default()));
    let message = form.message(local, "reason");
    view! {
        <form class="form" novalidate on:submit=move |ev| {
            ev.prevent_default();
            if form.try_submit(local) {
                submit.run(reason.get_untracked());
            }
        }>
            <p>{explanation}</p>
            <FormAlert message=form.alert() />
            <TextAreaField frame=FieldFrame::new("reason", label, message).required() value=Bound { get: reason.into(), set: Callback::new(move |v| reason.set(v)) } on_edit=Callback::new(move |()| form.edited()) />
            <p class="button-row">
                <button type="submit" class="button" disabled=move || busy.get()>{button}</button>
                <button type="button" class="button button--secondary" on:click=move |_| ctx.open.set(false)>"キャンセル"</button>
            </p>
        </form>
    }
}

#[component]
fn ReopenForm(ctx: PlanContext, cycle_id: Uuid, step: PlanStep) -> impl IntoView {
    let form = FormState::new();
    let busy = RwSignal::new(false);
    let submit = Callback::new(move |reason: String| {
        busy.set(true);
        spawn_local(async move {
            let result = reopen_step(cycle_id, step, reason).await;
            busy.set(false);
            match result {
                Ok(()) => ctx.done(),
                Err(e) => form.server_failed(e),
            }
        });
    });
    view! {
        <ReasonForm
            ctx
            label="取り消す理由（500文字まで）"
            explanation="このステップは未完了に戻ります。アップロード済みの書類の版は残ります。"
            button="完了を取り消す"
            parse=parse_reopen_reason
            submit
            form
            busy
        />
    }
}

fn parse_delete_reason(raw: &str) -> Result<String, Vec<FieldError>> {
    match parse_version_reason(raw) {
        Ok(Some(reason)) => Ok(reason),
        Ok(None) => Err(vec![FieldError::new(
            "reason",
            "削除の理由を入力してください",
        )]),
        Err(e) => Err(vec![e]),
    }
}

#[component]
fn DeleteForm(ctx: PlanContext, version_id: Uuid) -> impl IntoView {
    let form = FormState::new();
    let busy = RwSignal::new(false);
    let submit = Callback::new(move |reason: String| {
        busy.set(true);
        spawn_local(async move {
            let result = delete_document_version(version_id, reason).await;
            busy.set(false);
            match result {
                Ok(()) => ctx.done(),
                Err(e) => form.server_failed(e),
            }
        });
    });
    view! {
        <ReasonForm
            ctx
            label="削除の理由（200文字まで）"
            explanation="削除した版は「削除済み」として履歴に残り、ファイルは保管先から消去されます。"
            button="この版を削除する"
            parse=parse_delete_reason
            submit
            form
            busy
        />
    }
}

#[component]
fn DatesForm(ctx: PlanContext, cycle: CycleView, step: PlanStep) -> impl IntoView {
    let plan = ctx.plan.get_value();
    let current = cycle.step(step).cloned();
    let input = RwSignal::new(StepDatesInput {
        date: current
            .as_ref()
            .and_then(|s| s.date.clone())
            .unwrap_or_default(),
        counselling_delivered_date: current
            .as_ref()
            .and_then(|s| s.counselling_delivered_date.clone())
            .unwrap_or_default(),
        ..StepDatesInput::default()
    });
    let form = FormState::new();
    let busy = RwSignal::new(false);
    let local = Memo::new(move |_| input.with(|i| i.parse(step).err().unwrap_or_default()));
    let found = {
        let cycle = cycle.clone();
        Memo::new(move |_| match input.with(|i| read_date(&i.date).ok()) {
            Some(date) => findings(ctx, &cycle, DateField::of_step(step), |d| {
                d.set_step(step, Some(date))
            }),
            None => Vec::new(),
        })
    };
    let message = move |field: &'static str| form.message(local, field);
    let text = move |get: fn(&StepDatesInput) -> &String,
                     set: fn(&mut StepDatesInput) -> &mut String| {
        Bound::new(input, move |s| get(s).clone(), move |s, v| *set(s) = v)
    };
    let edited = Callback::new(move |()| form.edited());
    let cycle_id = cycle.id;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !form.try_submit(local) {
            return;
        }
        busy.set(true);
        let dates = input.get_untracked();
        spawn_local(async move {
            let result = edit_step_dates(cycle_id, step, dates).await;
            busy.set(false);
            match result {
                Ok(_) => ctx.done(),
                Err(e) => form.server_failed(e),
            }
        });
    };
    view! {
        <form class="form" novalidate on:submit=submit>
            <FormAlert message=alert(form) />
            <InputField frame=FieldFrame::new("date", step.date_label(), message("date")).required() kind="date" value=text(|i| &i.date, |i| &mut i.date) on_edit=edited />
            {(step == PlanStep::FinalPlanSigned).then(|| view! {
                <InputField frame=FieldFrame::new("counselling_delivered_date", "相談支援事業所への交付日", message("counselling_delivered_date")) kind="date" value=text(|i| &i.counselling_delivered_date, |i| &mut i.counselling_delivered_date) on_edit=edited />
            })}
            <TextAreaField frame=FieldFrame::new("reason", "修正する理由（500文字まで）", message("reason")).required() value=text(|i| &i.reason, |i| &mut i.reason) on_edit=edited />
            <GuardNotice found mode=plan.order_guard reason=text(|i| &i.override_reason, |i| &mut i.override_reason) message=message("override_reason") form />
            <p class="button-row">
                <button type="submit" class="button" disabled=move || busy.get()>"日付を修正する"</button>
                <button type="button" class="button button--secondary" on:click=move |_| ctx.open.set(false)>"キャンセル"</button>
            </p>
        </form>
    }
}

/// 「修正版を追加」: a new version of an existing document (a reason is required on a closed
/// cycle, §7.3).
#[component]
fn VersionForm(ctx: PlanContext, cycle_id: Uuid, closed: bool, doc_type: DocType) -> impl IntoView {
    let plan = ctx.plan.get_value();
    let reason = RwSignal::new(String::new());
    let form = FormState::new();
    let chosen = RwSignal::new(None::<ChosenFile>);
    let file_error = RwSignal::new(None::<String>);
    let progress = RwSignal::new(0u8);
    let busy = RwSignal::new(false);
    let local = Memo::new(move |_| {
        reason.with(|r| match parse_version_reason(r) {
            Err(e) => vec![e],
            Ok(None) if closed => vec![FieldError::new(
                "reason",
                "完了した回に修正版を追加するときは、修正理由を入力してください",
            )],
            Ok(_) => Vec::new(),
        })
    });
    let message = form.message(local, "reason");
    let recipient_id = plan.recipient.id;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !form.try_submit(local) {
            return;
        }
        let Some(file) = chosen.get_untracked() else {
            file_error.set(Some("PDFファイルを選択してください".into()));
            return;
        };
        busy.set(true);
        let meta = UploadMeta {
            recipient_id: Some(recipient_id),
            cycle_id: Some(cycle_id),
            doc_type: doc_type.as_str().to_owned(),
            reason: reason.get_untracked(),
            completion: None,
        };
        spawn_local(async move {
            let result = send(&meta, &file, progress).await;
            busy.set(false);
            match result {
                Ok(_) => ctx.done(),
                Err(e) => form.server_failed(e),
            }
        });
    };
    let label = if closed {
        "修正理由（必須・200文字まで）"
    } else {
        "修正理由（200文字まで）"
    };
    view! {
        <form class="form" novalidate on:submit=submit>
            <FormAlert message=form.alert() />
            <TextAreaField frame=FieldFrame::new("reason", label, message) value=Bound { get: reason.into(), set: Callback::new(move |v| reason.set(v)) } on_edit=Callback::new(move |()| form.edited()) />
            <PdfDropzone id=format!("version-{}", doc_type.as_str()) chosen error=file_error />
            <Show when=move || busy.get()>
                <label class="progress">
                    "アップロード中"
                    <progress max="100" value=move || progress.get().to_string()>{move || format!("{}%", progress.get())}</progress>
                    {move || format!("{}%", progress.get())}
                </label>
            </Show>
            <p class="button-row">
                <button type="submit" class="button" disabled=move || busy.get()>"アップロードする"</button>
                <button type="button" class="button button--secondary" on:click=move |_| ctx.open.set(false)>"キャンセル"</button>
            </p>
        </form>
    }
}

/// The PDF in the page, through the link that was just issued (it lives five minutes).
#[component]
fn Preview(link: OpenLink) -> impl IntoView {
    view! {
        <div class="preview-pane">
            <iframe class="preview-pane__frame" src=link.url.clone() title=format!("{}のプレビュー", link.file_name)></iframe>
            <p>
                <a href=link.url target="_blank" rel="noopener">"新しいタブで開く"</a>
                "（このリンクは5分間有効です）"
            </p>
        </div>
    }
}
