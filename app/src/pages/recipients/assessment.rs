//! `/recipients/:id/assessment` 「アセスメント」 (SPEC §5): the six sections, each entry read as
//! a list of labelled values and edited in its own form (one open at a time), parsed by
//! `shared::assessment` on every change and again by the server.

use crate::{
    api::assessment::{DeleteAssessmentEntry, SaveAssessmentEntry, get_assessment},
    components::{
        fields::{
            Bound, CheckField, FieldFrame, InputField, RadioField, SelectField, TextAreaField,
            choices,
        },
        form::{FormAlert, FormState},
    },
    session::SignedIn,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use shared::{
    AppError, FieldError,
    account::CurrentUser,
    assessment::{
        Aiding, Assessment, EmploymentInput, Entry, EntryInput, FamilyMemberInput,
        HospitalVisitInput, Household, IssueAnalysisInput, MedicalInput, MedicalInsurance, Section,
        ServiceHistoryInput, WorkConditions, WorkOutside,
    },
    service_type::ServiceType,
};
use uuid::Uuid;

/// The form that is open: a new entry of a section, or an existing entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Editing {
    New(Section),
    Existing(Uuid),
}

type Messages = Callback<&'static str, Signal<Option<String>>>;

fn label_of(value: &str, label: Option<&'static str>) -> String {
    label.map_or_else(|| value.to_owned(), str::to_owned)
}

fn yes_no(value: bool) -> String {
    if value { "はい" } else { "いいえ" }.to_owned()
}

/// An entry as label/value rows (empty optional values left out).
fn rows(entry: &EntryInput) -> Vec<(&'static str, String)> {
    let rows: Vec<(&'static str, String)> = match entry {
        EntryInput::Family(i) => vec![
            ("氏名", i.name.clone()),
            ("続柄", i.relationship.clone()),
            (
                "世帯",
                label_of(
                    &i.household,
                    Household::parse(&i.household).map(Household::label),
                ),
            ),
            ("健康状態", i.ones_health.clone()),
            ("備考", i.remarks.clone()),
        ],
        EntryInput::ServiceHistory(i) => vec![
            ("事業所名", i.office_name.clone()),
            ("サービス名", i.service_name.clone()),
            ("利用開始日", i.starting_day.clone()),
            ("利用時間/月", i.amount_used.clone()),
        ],
        EntryInput::Medical(i) => vec![
            (
                "医療保険の種類",
                label_of(
                    &i.medical_care_insurance,
                    MedicalInsurance::parse(&i.medical_care_insurance).map(MedicalInsurance::label),
                ),
            ),
            ("その他の詳細", i.medical_care_insurance_other_text.clone()),
            (
                "公費負担",
                label_of(&i.aiding, Aiding::parse(&i.aiding).map(Aiding::label)),
            ),
            ("過去2年以内の入院歴", yes_no(i.hospitalized_past_2_years)),
        ],
        EntryInput::HospitalVisit(i) => vec![
            ("病名", i.disease.clone()),
            ("症状", i.symptoms.clone()),
            ("医療機関名", i.medical_institution.clone()),
            ("主治医", i.doctor.clone()),
            ("電話番号", i.tel.clone()),
            ("通院頻度", i.frequency.clone()),
            ("開始日", i.date_started.clone()),
            ("終了日", i.date_ended.clone()),
            ("服薬", yes_no(i.taking_medicine)),
            ("特記事項", i.special_remarks.clone()),
        ],
        EntryInput::Employment(i) => {
            let experience: Vec<&str> = [
                (
                    i.regular_or_part_time_job,
                    "一般就労やパート、アルバイトの経験がある",
                ),
                (i.employment_support, "就労移行、継続支援の経験がある"),
                (i.work_experience_past_year, "過去1年以内に就労経験がある"),
                (i.suspension_of_work, "現在休職中である"),
                (i.no_employment_experience, "就労経験なし"),
                (i.attended_job_selection_office, "就労選択事業所に通所した"),
                (i.received_employment_assessment, "就労アセスメントを受けた"),
                (i.employment_other_experience, "その他"),
            ]
            .into_iter()
            .filter_map(|(on, label)| on.then_some(label))
            .collect();
            vec![
                (
                    "就労状況",
                    label_of(
                        &i.work_conditions,
                        WorkConditions::parse(&i.work_conditions).map(WorkConditions::label),
                    ),
                ),
                ("就労経験", experience.join("、")),
                ("その他の詳細", i.employment_other_text.clone()),
                ("免許、資格、検定", i.qualifications.clone()),
                ("主な就労先と期間", i.main_places_of_employment.clone()),
                ("一般就労を希望する", yes_no(i.general_employment_request)),
                ("希望する仕事", i.desired_job.clone()),
                ("希望する勤務時間", i.desired_hours.clone()),
                ("希望する賃金", i.desired_wage.clone()),
                ("特記事項", i.special_remarks.clone()),
                (
                    "施設外就労の希望",
                    label_of(
                        &i.work_outside_the_facility,
                        WorkOutside::parse(&i.work_outside_the_facility).map(WorkOutside::label),
                    ),
                ),
                ("施設外就労の特記事項", i.work_outside_note.clone()),
                (
                    "事業所内で希望する作業",
                    i.desired_tasks_in_facility.clone(),
                ),
            ]
        }
        EntryInput::IssueAnalysis(i) => IssueAnalysisInput::FIELDS
            .iter()
            .map(|(field, label)| (*label, i.get(field).to_owned()))
            .collect(),
    };
    rows.into_iter().filter(|(_, v)| !v.is_empty()).collect()
}

fn blank(section: Section) -> EntryInput {
    match section {
        Section::Family => EntryInput::Family(FamilyMemberInput::default()),
        Section::ServiceHistory => EntryInput::ServiceHistory(ServiceHistoryInput::default()),
        Section::Medical => EntryInput::Medical(MedicalInput::default()),
        Section::HospitalVisit => EntryInput::HospitalVisit(HospitalVisitInput::default()),
        Section::Employment => EntryInput::Employment(EmploymentInput::default()),
        Section::IssueAnalysis => EntryInput::IssueAnalysis(IssueAnalysisInput::default()),
    }
}

#[component]
pub fn AssessmentPage() -> impl IntoView {
    // Read and created here, where the route is, not inside `SignedIn`'s suspense.
    let id =
        use_params_map().with_untracked(|p| p.get("id").and_then(|id| id.parse::<Uuid>().ok()));
    let reload = RwSignal::new(0u32);
    let data = Resource::new(
        move || (id, reload.get()),
        |(id, _)| async move {
            match id {
                Some(id) => get_assessment(id).await,
                None => Err(AppError::not_found()),
            }
        },
    );
    view! {
        <Title text="アセスメント" />
        <SignedIn render=move |user| assessment_for(user, id, reload, data) />
    }
}

fn assessment_for(
    _user: CurrentUser,
    id: Option<Uuid>,
    reload: RwSignal<u32>,
    data: Resource<Result<shared::assessment::Assessment, AppError>>,
) -> AnyView {
    let Some(id) = id else {
        return view! { <p class="form-alert form-alert--shown" role="alert">{AppError::not_found().user_message()}</p> }.into_any();
    };
    view! {
        <section class="settings settings--wide" aria-labelledby="assessment-title">
            <p><a href=format!("/recipients/{id}")>"← 利用者の詳細へ"</a></p>
            <Suspense fallback=|| view! { <p class="loading">"読み込み中…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(assessment) => view! { <AssessmentView assessment reload /> }.into_any(),
                        Err(e) => view! {
                            <h1 id="assessment-title">"アセスメント"</h1>
                            <p class="form-alert form-alert--shown" role="alert">{e.user_message()}</p>
                        }
                        .into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
    .into_any()
}

#[component]
fn AssessmentView(assessment: Assessment, reload: RwSignal<u32>) -> impl IntoView {
    let editing = RwSignal::new(None::<Editing>);
    let done = Callback::new(move |()| {
        editing.set(None);
        reload.update(|n| *n += 1);
    });
    let recipient_id = assessment.recipient_id;
    let read_only = assessment.read_only;
    view! {
        <h1 id="assessment-title">{format!("{} さんのアセスメント", assessment.recipient_name)}</h1>
        {read_only.then(|| view! {
            <div class="notice" role="status"><p>"利用終了または削除済みの利用者のため、閲覧のみできます。"</p></div>
        })}
        <nav aria-label="アセスメントの項目">
            <ul class="section-links">
                {Section::ALL.iter().map(|s| view! {
                    <li><a href=format!("#section-{}", s.as_str()) rel="external">{s.label()}</a></li>
                }).collect_view()}
            </ul>
        </nav>
        {Section::ALL
            .iter()
            .map(|&section| {
                let entries: Vec<Entry> = assessment.of(section).cloned().collect();
                view! { <SectionView section entries recipient_id read_only editing done /> }
            })
            .collect_view()}
    }
}

#[component]
fn SectionView(
    section: Section,
    entries: Vec<Entry>,
    recipient_id: Uuid,
    read_only: bool,
    editing: RwSignal<Option<Editing>>,
    done: Callback<()>,
) -> impl IntoView {
    let count = entries.len();
    let full = count >= section.max_entries();
    let heading_id = format!("section-{}", section.as_str());
    let labelled_by = heading_id.clone();
    let add_label = if section.is_list() {
        format!("＋ {}を追加", section.label())
    } else {
        format!("{}を入力する", section.label())
    };
    view! {
        <section class="assessment-section" aria-labelledby=labelled_by>
            <h2 id=heading_id tabindex="-1">
                {section.label()}
                {section.is_list().then(|| view! { <span class="assessment-section__count">{format!("（{count}件）")}</span> })}
            </h2>
            {(entries.is_empty()).then(|| view! { <p>"未入力"</p> })}
            {entries
                .into_iter()
                .map(|entry| view! { <EntryCard entry recipient_id read_only editing done /> })
                .collect_view()}
            {move || match editing.get() {
                Some(Editing::New(s)) if s == section => {
                    view! { <EntryForm recipient_id item=None initial=blank(section) done cancel=Callback::new(move |()| editing.set(None)) /> }.into_any()
                }
                _ if read_only || full => ().into_any(),
                _ => view! {
                    <p>
                        <button type="button" class="button button--secondary" disabled=move || editing.get().is_some()
                            on:click=move |_| editing.set(Some(Editing::New(section)))>
                            {add_label.clone()}
                        </button>
                    </p>
                }
                .into_any(),
            }}
        </section>
    }
}

#[component]
fn EntryCard(
    entry: Entry,
    recipient_id: Uuid,
    read_only: bool,
    editing: RwSignal<Option<Editing>>,
    done: Callback<()>,
) -> impl IntoView {
    let id = entry.id;
    let version = entry.version;
    let confirming = RwSignal::new(false);
    let delete = ServerAction::<DeleteAssessmentEntry>::new();
    let form = FormState::new();
    Effect::new(move |_| match delete.value().get() {
        Some(Ok(())) => done.run(()),
        Some(Err(error)) => form.server_failed(error),
        None => {}
    });
    let rows = rows(&entry.entry);
    let initial = entry.entry.clone();
    let meta = format!("最終更新: {}（{}）", entry.updated_at, entry.updated_by);
    view! {
        <div class="assessment-entry">
            {move || {
                if editing.get() == Some(Editing::Existing(id)) {
                    view! {
                        <EntryForm recipient_id item=Some((id, version)) initial=initial.clone() done cancel=Callback::new(move |()| editing.set(None)) />
                    }
                    .into_any()
                } else {
                    view! {
                        <dl class="summary">
                            {rows.iter().map(|(label, value)| view! { <div><dt>{*label}</dt><dd>{value.clone()}</dd></div> }).collect_view()}
                        </dl>
                        <p class="assessment-entry__meta">{meta.clone()}</p>
                        <FormAlert message=form.alert() />
                        {(!read_only).then(|| view! {
                            <p class="assessment-entry__actions">
                                <button type="button" class="button button--secondary" disabled=move || editing.get().is_some()
                                    on:click=move |_| editing.set(Some(Editing::Existing(id)))>"編集"</button>
                                " "
                                <button type="button" class="link-button link-button--danger" on:click=move |_| confirming.set(true)>"削除"</button>
                            </p>
                            <Show when=move || confirming.get()>
                                <div class="notice" role="alert">
                                    <p>"この項目を削除しますか？"</p>
                                    <button type="button" class="button" disabled=move || delete.pending().get()
                                        on:click=move |_| { delete.dispatch(DeleteAssessmentEntry { recipient_id, item_id: id, version }); }>
                                        "削除する"
                                    </button>
                                    " "
                                    <button type="button" class="button button--secondary" on:click=move |_| confirming.set(false)>"やめる"</button>
                                </div>
                            </Show>
                        })}
                    }
                    .into_any()
                }
            }}
        </div>
    }
}

/// The open form of one entry: the section's fields on one `EntryInput` signal.
#[component]
fn EntryForm(
    recipient_id: Uuid,
    item: Option<(Uuid, i32)>,
    initial: EntryInput,
    done: Callback<()>,
    cancel: Callback<()>,
) -> impl IntoView {
    let section = initial.section();
    let state = RwSignal::new(initial);
    let form = FormState::new();
    let local: Memo<Vec<FieldError>> =
        Memo::new(move |_| state.with(|s| s.parse().err().unwrap_or_default()));
    let messages: Messages = Callback::new(move |field: &'static str| form.message(local, field));
    let save = ServerAction::<SaveAssessmentEntry>::new();
    Effect::new(move |_| match save.value().get() {
        Some(Ok(_)) => done.run(()),
        Some(Err(error)) => form.server_failed(error),
        None => {}
    });
    let edited = Callback::new(move |()| form.edited());
    let fields = match section {
        Section::Family => family_fields(state, messages, edited),
        Section::ServiceHistory => service_history_fields(state, messages, edited),
        Section::Medical => medical_fields(state, messages, edited),
        Section::HospitalVisit => hospital_visit_fields(state, messages, edited),
        Section::Employment => employment_fields(state, messages, edited),
        Section::IssueAnalysis => issue_analysis_fields(state, messages, edited),
    };
    view! {
        <form
            class="form assessment-form"
            novalidate
            on:submit=move |ev| {
                ev.prevent_default();
                if form.try_submit(local) {
                    save.dispatch(SaveAssessmentEntry {
                        recipient_id,
                        item_id: item.map(|(id, _)| id),
                        version: item.map(|(_, v)| v),
                        entry: state.get_untracked(),
                    });
                }
            }
        >
            <h3>{if item.is_some() { format!("{}の編集", section.label()) } else { format!("{}の入力", section.label()) }}</h3>
            <FormAlert message=form.alert() />
            {fields}
            <div class="wizard__buttons">
                <button type="submit" class="button" disabled=move || save.pending().get()>
                    {move || if save.pending().get() { "保存しています…" } else { "保存する" }}
                </button>
                <button type="button" class="button button--secondary" on:click=move |_| cancel.run(())>"キャンセル"</button>
            </div>
        </form>
    }
}

/// A text binding into one variant of the entry (other variants read as empty).
fn text<T: 'static>(
    state: RwSignal<EntryInput>,
    project: fn(&EntryInput) -> Option<&T>,
    project_mut: fn(&mut EntryInput) -> Option<&mut T>,
    get: fn(&T) -> &String,
    set: fn(&mut T) -> &mut String,
) -> Bound<String> {
    Bound::new(
        state,
        move |s| project(s).map(get).cloned().unwrap_or_default(),
        move |s, v| {
            if let Some(t) = project_mut(s) {
                *set(t) = v;
            }
        },
    )
}

fn flag<T: 'static>(
    state: RwSignal<EntryInput>,
    project: fn(&EntryInput) -> Option<&T>,
    project_mut: fn(&mut EntryInput) -> Option<&mut T>,
    get: fn(&T) -> bool,
    set: fn(&mut T) -> &mut bool,
) -> Bound<bool> {
    Bound::new(
        state,
        move |s| project(s).is_some_and(get),
        move |s, v| {
            if let Some(t) = project_mut(s) {
                *set(t) = v;
            }
        },
    )
}

/// Read and write access to one section's input inside the entry signal.
macro_rules! projections {
    ($variant:ident, $ty:ty) => {{
        fn get(e: &EntryInput) -> Option<&$ty> {
            match e {
                EntryInput::$variant(i) => Some(i),
                _ => None,
            }
        }
        fn get_mut(e: &mut EntryInput) -> Option<&mut $ty> {
            match e {
                EntryInput::$variant(i) => Some(i),
                _ => None,
            }
        }
        (
            get as fn(&EntryInput) -> Option<&$ty>,
            get_mut as fn(&mut EntryInput) -> Option<&mut $ty>,
        )
    }};
}

fn frame(messages: Messages, field: &'static str, label: &str) -> FieldFrame {
    FieldFrame::new(field, label, messages.run(field))
}

fn family_fields(state: RwSignal<EntryInput>, m: Messages, edited: Callback<()>) -> AnyView {
    let (p, pm) = projections!(Family, FamilyMemberInput);
    let t =
        move |get: fn(&FamilyMemberInput) -> &String,
              set: fn(&mut FamilyMemberInput) -> &mut String| text(state, p, pm, get, set);
    view! {
        <InputField frame=frame(m, "name", "氏名").required() value=t(|i| &i.name, |i| &mut i.name) on_edit=edited />
        <InputField frame=frame(m, "relationship", "続柄").required().hint("例: 父、母、兄弟") value=t(|i| &i.relationship, |i| &mut i.relationship) on_edit=edited />
        <RadioField frame=frame(m, "household", "世帯").required() value=t(|i| &i.household, |i| &mut i.household)
            options=choices(Household::ALL, Household::as_str, Household::label) on_edit=edited />
        <TextAreaField frame=frame(m, "ones_health", "健康状態").required() value=t(|i| &i.ones_health, |i| &mut i.ones_health) on_edit=edited />
        <TextAreaField frame=frame(m, "remarks", "備考") value=t(|i| &i.remarks, |i| &mut i.remarks) on_edit=edited />
    }
    .into_any()
}

fn service_history_fields(
    state: RwSignal<EntryInput>,
    m: Messages,
    edited: Callback<()>,
) -> AnyView {
    let (p, pm) = projections!(ServiceHistory, ServiceHistoryInput);
    let t = move |get: fn(&ServiceHistoryInput) -> &String,
                  set: fn(&mut ServiceHistoryInput) -> &mut String| {
        text(state, p, pm, get, set)
    };
    let suggestions = ServiceType::ALL
        .iter()
        .map(|s| view! { <option value=s.label()></option> })
        .collect_view();
    view! {
        <InputField frame=frame(m, "office_name", "事業所名").required() value=t(|i| &i.office_name, |i| &mut i.office_name) on_edit=edited />
        <InputField frame=frame(m, "service_name", "サービス名").required().hint("例: 就労継続支援B型（一覧から選ぶか入力してください）")
            value=t(|i| &i.service_name, |i| &mut i.service_name) on_edit=edited list="service-names" />
        <datalist id="service-names">{suggestions}</datalist>
        <InputField frame=frame(m, "starting_day", "利用開始日").required() kind="date" value=t(|i| &i.starting_day, |i| &mut i.starting_day) on_edit=edited />
        <InputField frame=frame(m, "amount_used", "利用時間/月").required().hint("例: 60時間") value=t(|i| &i.amount_used, |i| &mut i.amount_used) on_edit=edited />
    }
    .into_any()
}

fn medical_fields(state: RwSignal<EntryInput>, m: Messages, edited: Callback<()>) -> AnyView {
    let (p, pm) = projections!(Medical, MedicalInput);
    let t = move |get: fn(&MedicalInput) -> &String, set: fn(&mut MedicalInput) -> &mut String| {
        text(state, p, pm, get, set)
    };
    let other = move || {
        state.with(|s| {
            p(s).is_some_and(|i| i.medical_care_insurance == MedicalInsurance::Other.as_str())
        })
    };
    view! {
        <SelectField frame=frame(m, "medical_care_insurance", "医療保険の種類").required()
            value=t(|i| &i.medical_care_insurance, |i| &mut i.medical_care_insurance)
            options=choices(MedicalInsurance::ALL, MedicalInsurance::as_str, MedicalInsurance::label) on_edit=edited />
        <Show when=other>
            <InputField frame=frame(m, "medical_care_insurance_other_text", "その他の詳細").required()
                value=t(|i| &i.medical_care_insurance_other_text, |i| &mut i.medical_care_insurance_other_text) on_edit=edited />
        </Show>
        <SelectField frame=frame(m, "aiding", "公費負担").required() value=t(|i| &i.aiding, |i| &mut i.aiding)
            options=choices(Aiding::ALL, Aiding::as_str, Aiding::label) on_edit=edited />
        <CheckField frame=frame(m, "hospitalized_past_2_years", "過去2年以内に入院歴がある")
            value=flag(state, p, pm, |i| i.hospitalized_past_2_years, |i| &mut i.hospitalized_past_2_years) on_edit=edited />
    }
    .into_any()
}

fn hospital_visit_fields(
    state: RwSignal<EntryInput>,
    m: Messages,
    edited: Callback<()>,
) -> AnyView {
    let (p, pm) = projections!(HospitalVisit, HospitalVisitInput);
    let t =
        move |get: fn(&HospitalVisitInput) -> &String,
              set: fn(&mut HospitalVisitInput) -> &mut String| text(state, p, pm, get, set);
    view! {
        <InputField frame=frame(m, "disease", "病名").required() value=t(|i| &i.disease, |i| &mut i.disease) on_edit=edited />
        <TextAreaField frame=frame(m, "symptoms", "症状").required() value=t(|i| &i.symptoms, |i| &mut i.symptoms) on_edit=edited />
        <InputField frame=frame(m, "medical_institution", "医療機関名").required() value=t(|i| &i.medical_institution, |i| &mut i.medical_institution) on_edit=edited />
        <InputField frame=frame(m, "doctor", "主治医").required() value=t(|i| &i.doctor, |i| &mut i.doctor) on_edit=edited />
        <InputField frame=frame(m, "tel", "電話番号").required() kind="tel" inputmode="tel" value=t(|i| &i.tel, |i| &mut i.tel) on_edit=edited />
        <InputField frame=frame(m, "frequency", "通院頻度").required().hint("例: 月1回") value=t(|i| &i.frequency, |i| &mut i.frequency) on_edit=edited />
        <InputField frame=frame(m, "date_started", "開始日") kind="date" value=t(|i| &i.date_started, |i| &mut i.date_started) on_edit=edited />
        <InputField frame=frame(m, "date_ended", "終了日") kind="date" value=t(|i| &i.date_ended, |i| &mut i.date_ended) on_edit=edited />
        <CheckField frame=frame(m, "taking_medicine", "服薬あり")
            value=flag(state, p, pm, |i| i.taking_medicine, |i| &mut i.taking_medicine) on_edit=edited />
        <TextAreaField frame=frame(m, "special_remarks", "特記事項") value=t(|i| &i.special_remarks, |i| &mut i.special_remarks) on_edit=edited />
    }
    .into_any()
}

fn employment_fields(state: RwSignal<EntryInput>, m: Messages, edited: Callback<()>) -> AnyView {
    let (p, pm) = projections!(Employment, EmploymentInput);
    let t =
        move |get: fn(&EmploymentInput) -> &String,
              set: fn(&mut EmploymentInput) -> &mut String| text(state, p, pm, get, set);
    let f = move |get: fn(&EmploymentInput) -> bool, set: fn(&mut EmploymentInput) -> &mut bool| {
        flag(state, p, pm, get, set)
    };
    let none = move || state.with(|s| p(s).is_some_and(|i| i.no_employment_experience));
    let other = move || {
        state.with(|s| {
            p(s).is_some_and(|i| i.no_employment_experience && i.employment_other_experience)
        })
    };
    view! {
        <SelectField frame=frame(m, "work_conditions", "就労状況").required() value=t(|i| &i.work_conditions, |i| &mut i.work_conditions)
            options=choices(WorkConditions::ALL, WorkConditions::as_str, WorkConditions::label) on_edit=edited />
        <fieldset class="field">
            <legend class="field__label">"就労経験"</legend>
            <CheckField frame=frame(m, "regular_or_part_time_job", "一般就労やパート、アルバイトの経験がある") value=f(|i| i.regular_or_part_time_job, |i| &mut i.regular_or_part_time_job) on_edit=edited />
            <CheckField frame=frame(m, "employment_support", "就労移行、継続支援の経験がある") value=f(|i| i.employment_support, |i| &mut i.employment_support) on_edit=edited />
            <CheckField frame=frame(m, "work_experience_past_year", "過去1年以内に就労経験がある") value=f(|i| i.work_experience_past_year, |i| &mut i.work_experience_past_year) on_edit=edited />
            <CheckField frame=frame(m, "suspension_of_work", "現在休職中である") value=f(|i| i.suspension_of_work, |i| &mut i.suspension_of_work) on_edit=edited />
            <CheckField frame=frame(m, "no_employment_experience", "就労経験なし") value=f(|i| i.no_employment_experience, |i| &mut i.no_employment_experience) on_edit=edited />
            <Show when=none>
                <div class="assessment-form__children">
                    <CheckField frame=frame(m, "attended_job_selection_office", "就労選択事業所に通所した") value=f(|i| i.attended_job_selection_office, |i| &mut i.attended_job_selection_office) on_edit=edited />
                    <CheckField frame=frame(m, "received_employment_assessment", "就労アセスメントを受けた") value=f(|i| i.received_employment_assessment, |i| &mut i.received_employment_assessment) on_edit=edited />
                    <CheckField frame=frame(m, "employment_other_experience", "その他") value=f(|i| i.employment_other_experience, |i| &mut i.employment_other_experience) on_edit=edited />
                    <Show when=other>
                        <TextAreaField frame=frame(m, "employment_other_text", "その他の詳細").required() value=t(|i| &i.employment_other_text, |i| &mut i.employment_other_text) on_edit=edited />
                    </Show>
                </div>
            </Show>
        </fieldset>
        <TextAreaField frame=frame(m, "qualifications", "免許、資格、検定") value=t(|i| &i.qualifications, |i| &mut i.qualifications) on_edit=edited />
        <TextAreaField frame=frame(m, "main_places_of_employment", "主な就労先と期間") value=t(|i| &i.main_places_of_employment, |i| &mut i.main_places_of_employment) on_edit=edited />
        <CheckField frame=frame(m, "general_employment_request", "一般就労を希望する") value=f(|i| i.general_employment_request, |i| &mut i.general_employment_request) on_edit=edited />
        <InputField frame=frame(m, "desired_job", "希望する仕事") value=t(|i| &i.desired_job, |i| &mut i.desired_job) on_edit=edited />
        <InputField frame=frame(m, "desired_hours", "希望する勤務時間") value=t(|i| &i.desired_hours, |i| &mut i.desired_hours) on_edit=edited />
        <InputField frame=frame(m, "desired_wage", "希望する賃金") value=t(|i| &i.desired_wage, |i| &mut i.desired_wage) on_edit=edited />
        <TextAreaField frame=frame(m, "special_remarks", "特記事項") value=t(|i| &i.special_remarks, |i| &mut i.special_remarks) on_edit=edited />
        <RadioField frame=frame(m, "work_outside_the_facility", "施設外就労の希望").required() value=t(|i| &i.work_outside_the_facility, |i| &mut i.work_outside_the_facility)
            options=choices(WorkOutside::ALL, WorkOutside::as_str, WorkOutside::label) on_edit=edited />
        <TextAreaField frame=frame(m, "work_outside_note", "施設外就労の特記事項") value=t(|i| &i.work_outside_note, |i| &mut i.work_outside_note) on_edit=edited />
        <TextAreaField frame=frame(m, "desired_tasks_in_facility", "事業所内で希望する作業") value=t(|i| &i.desired_tasks_in_facility, |i| &mut i.desired_tasks_in_facility) on_edit=edited />
    }
    .into_any()
}

fn issue_analysis_fields(
    state: RwSignal<EntryInput>,
    m: Messages,
    edited: Callback<()>,
) -> AnyView {
    let (p, pm) = projections!(IssueAnalysis, IssueAnalysisInput);
    view! {
        <p>"いずれか1つ以上の項目を入力してください。"</p>
        {IssueAnalysisInput::FIELDS
            .iter()
            .map(|&(field, label)| {
                let value = Bound::new(
                    state,
                    move |s| p(s).map(|i| i.get(field).to_owned()).unwrap_or_default(),
                    move |s, v| {
                        if let Some(i) = pm(s) {
                            *i.get_mut(field) = v;
                        }
                    },
                );
                view! { <TextAreaField frame=frame(m, field, label) value on_edit=edited /> }
            })
            .collect_view()}
    }
    .into_any()
}
