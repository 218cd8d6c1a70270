//! `/recipients/:id` (every section, read only), `/recipients/new` and `/recipients/:id/edit`.

use super::wizard::{RecipientWizard, WizardMode};
use crate::{
    api::recipients::{get_recipient, get_recipient_form_context},
    session::SignedIn,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use shared::{
    AppError, Role,
    account::CurrentUser,
    recipient::{
        ApplicationStatus, DetailCategory, EmergencyContactInput, FormOfResidence, Gender,
        LivelihoodProtection, PhysicalDisabilityType, RecipientFormContext, RecipientInput,
        RecipientRecord, RecipientStatus, Transportation, field_label,
    },
    service_type::ServiceType,
};
use uuid::Uuid;

fn id_param() -> Option<Uuid> {
    use_params_map().with_untracked(|p| p.get("id").and_then(|id| id.parse().ok()))
}

fn error_view(error: AppError) -> AnyView {
    view! { <p class="form-alert form-alert--shown" role="alert">{error.user_message()}</p> }
        .into_any()
}

/// The recipient and the form context (staff names, today) for `id` from the route.
type RecipientData = Resource<Result<(RecipientRecord, RecipientFormContext), AppError>>;

/// Created in the page component, where the route parameters are, before [`SignedIn`] waits for
/// the session.
fn recipient_data() -> (Option<Uuid>, RecipientData) {
    let id = id_param();
    let data = Resource::new(
        move || id,
        |id| async move {
            let id = id.ok_or_else(|| AppError::new(shared::ErrorCode::NotFound))?;
            Ok::<_, AppError>((
                get_recipient(id).await?,
                get_recipient_form_context().await?,
            ))
        },
    );
    (id, data)
}

#[component]
pub fn RecipientDetailPage() -> impl IntoView {
    let (_, data) = recipient_data();
    view! {
        <Title text="利用者の詳細" />
        <SignedIn render=move |user| detail_for(user, data) />
    }
}

fn detail_for(user: CurrentUser, data: RecipientData) -> AnyView {
    let manager = user.role.at_least(Role::Manager);
    view! {
        <Suspense fallback=|| view! { <p class="loading">"読み込み中…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((record, context)) => view! { <RecipientDetail record context manager /> }.into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Suspense>
    }
    .into_any()
}

/// The label of a stored option value (or the text itself for free fields).
fn label_of(parse: fn(&str) -> Option<&'static str>, value: &str) -> String {
    parse(value)
        .map(str::to_owned)
        .unwrap_or_else(|| value.to_owned())
}

fn or_blank(value: &str) -> String {
    if value.is_empty() {
        "未入力".to_owned()
    } else {
        value.to_owned()
    }
}

#[component]
fn RecipientDetail(
    record: RecipientRecord,
    context: RecipientFormContext,
    manager: bool,
) -> impl IntoView {
    let i = &record.input;
    let staff_names: Vec<String> = i
        .assigned_staff_ids
        .iter()
        .filter_map(|id| {
            context
                .staff
                .iter()
                .find(|(s, _)| s.to_string() == *id)
                .map(|(_, name)| name.clone())
        })
        .collect();
    let with_other = |value: &str, other: &str, parse: fn(&str) -> Option<&'static str>| {
        if other.is_empty() {
            label_of(parse, value)
        } else {
            format!("{}（{other}）", label_of(parse, value))
        }
    };
    let basic: Vec<(&str, String)> = vec![
        ("last_name", format!("{} {}", i.last_name, i.first_name)),
        (
            "last_name_kana",
            format!("{} {}", i.last_name_kana, i.first_name_kana),
        ),
        ("birth_date", i.birth_date.clone()),
        (
            "gender",
            label_of(|v| Gender::parse(v).map(Gender::label), &i.gender),
        ),
        (
            "service_type",
            label_of(
                |v| ServiceType::from_code(v).map(ServiceType::label),
                &i.service_type,
            ),
        ),
        ("contract_date", or_blank(&i.contract_date)),
        ("certificate_number", or_blank(&i.certificate_number)),
        (
            "assigned_staff_ids",
            if staff_names.is_empty() {
                "未設定".into()
            } else {
                staff_names.join("、")
            },
        ),
        (
            "counselling_office",
            if i.self_plan {
                "セルフプラン".into()
            } else {
                or_blank(&i.counselling_office)
            },
        ),
    ];
    let contact: Vec<(&str, String)> = vec![
        ("postal_code", or_blank(&i.postal_code)),
        ("address", or_blank(&i.address)),
        (
            "form_of_residence",
            with_other(&i.form_of_residence, &i.form_of_residence_other_text, |v| {
                FormOfResidence::parse(v).map(FormOfResidence::label)
            }),
        ),
        (
            "means_of_transportation",
            with_other(
                &i.means_of_transportation,
                &i.means_of_transportation_other_text,
                |v| Transportation::parse(v).map(Transportation::label),
            ),
        ),
        ("tel", or_blank(&i.tel)),
    ];
    let disability: Vec<(&str, String)> = vec![
        (
            "disability_or_disease_name",
            or_blank(&i.disability_or_disease_name),
        ),
        (
            "livelihood_protection",
            label_of(
                |v| LivelihoodProtection::parse(v).map(LivelihoodProtection::label),
                &i.livelihood_protection,
            ),
        ),
        ("special_remarks", or_blank(&i.special_remarks)),
    ];
    let rows = |rows: Vec<(&'static str, String)>| {
        view! {
            <dl class="summary">
                {rows
                    .into_iter()
                    .map(|(field, value)| {
                        let label = match field {
                            "last_name" => "氏名",
                            "last_name_kana" => "ふりがな",
                            other => field_label(other),
                        };
                        view! { <div><dt>{label}</dt><dd>{value}</dd></div> }
                    })
                    .collect_view()}
            </dl>
        }
    };
    let contacts = i.emergency_contacts.clone();
    let details = i.disability_details.clone();
    let name = format!("{} {}", i.last_name, i.first_name);
    let editable = record.status != RecipientStatus::Deleted;
    let edit_href = format!("/recipients/{}/edit", record.id);
    view! {
        <section class="settings settings--wide" aria-labelledby="recipient-title">
            <p><a href="/recipients">"← 利用者一覧へ"</a></p>
            <h1 id="recipient-title">{format!("{name} さん")}</h1>
            <p class="status-line">
                "状態: " <strong>{record.status.label()}</strong>
                {record.profile_incomplete.then(|| view! { <span class="badge">"未入力項目あり"</span> })}
                {format!("　最終更新: {}", record.updated_at)}
            </p>
            <p class="section-links">
                <a href=format!("/recipients/{}/plan", record.id)>"支援計画を見る"</a>
                <a href=format!("/recipients/{}/assessment", record.id)>"アセスメントを見る・入力する"</a>
            </p>
            {editable.then(|| view! {
                <p><a class="button" href=edit_href>{if manager { "編集する" } else { "編集を申請する" }}</a></p>
            })}
            <super::lifecycle::LifecycleActions record=record.clone() today=context.today.clone() request=!manager />
            <h2>"基本情報"</h2>
            {rows(basic)}
            <h2>"連絡先・住所情報"</h2>
            {rows(contact)}
            <h2>"緊急連絡先"</h2>
            {contacts.into_iter().enumerate().map(|(n, c)| view! { <ContactCard n c /> }).collect_view()}
            <h2>"障害・疾患情報"</h2>
            {rows(disability)}
            <h2>"手帳・年金詳細"</h2>
            {if details.is_empty() {
                view! { <p>"登録されていません"</p> }.into_any()
            } else {
                view! {
                    <ul>
                        {details
                            .into_iter()
                            .map(|d| {
                                let category = DetailCategory::parse(&d.category);
                                let grade = category.and_then(|c| c.grade_label(&d.grade)).unwrap_or("");
                                let kind = PhysicalDisabilityType::parse(&d.physical_disability_type)
                                    .map(|t| if d.physical_disability_type_other_text.is_empty() {
                                        t.label().to_owned()
                                    } else {
                                        format!("{}（{}）", t.label(), d.physical_disability_type_other_text)
                                    })
                                    .unwrap_or_default();
                                let status = ApplicationStatus::parse(&d.application_status).map(ApplicationStatus::label).unwrap_or("");
                                let text = [category.map(DetailCategory::label).unwrap_or(""), grade, &kind, status]
                                    .into_iter()
                                    .filter(|s| !s.is_empty())
                                    .collect::<Vec<_>>()
                                    .join(" ／ ");
                                view! { <li>{text}</li> }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
            {manager.then(|| view! { <History id=record.id /> })}
        </section>
    }
}

/// 「履歴」: who changed this recipient when (field names only). Loaded on request, after the
/// page: the audit query is not paid on every view, and the server-rendered page holds nothing
/// that changes between rendering and hydration.
#[component]
fn History(id: Uuid) -> impl IntoView {
    let entries = RwSignal::new(None::<Result<Vec<shared::audit::AuditEntry>, AppError>>);
    let loading = RwSignal::new(false);
    let load = move |_| {
        loading.set(true);
        leptos::task::spawn_local(async move {
            entries.set(Some(crate::api::recipients::recipient_history(id).await));
            loading.set(false);
        });
    };
    view! {
        <h2 id="history-title">"履歴"</h2>
        {move || match entries.get() {
            None => view! {
                <p>
                    <button type="button" class="button button--secondary" disabled=move || loading.get() on:click=load>
                        "変更履歴を表示する"
                    </button>
                </p>
            }
            .into_any(),
            Some(Err(e)) => error_view(e),
            Some(Ok(entries)) => view! { <HistoryTable entries /> }.into_any(),
        }}
    }
}

#[component]
fn HistoryTable(entries: Vec<shared::audit::AuditEntry>) -> impl IntoView {
    view! {
        <div class="table-scroll">
            <table class="table" aria-labelledby="history-title">
                <thead>
                    <tr>
                        <th scope="col">"日時"</th>
                        <th scope="col">"操作"</th>
                        <th scope="col">"操作した人"</th>
                        <th scope="col">"詳細"</th>
                    </tr>
                </thead>
                <tbody>
                    {entries.into_iter().map(|e| view! {
                        <tr>
                            <td>{shared::dates::format_datetime_jst(e.occurred_at)}</td>
                            <th scope="row">{e.action_label}</th>
                            <td>{e.actor}</td>
                            <td>
                                <ul class="details">
                                    {e.details.into_iter().map(|(k, v)| view! { <li>{format!("{k}: {v}")}</li> }).collect_view()}
                                </ul>
                            </td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn ContactCard(n: usize, c: EmergencyContactInput) -> impl IntoView {
    let relationship = if c.relationship_other_text.is_empty() {
        c.relationship.clone()
    } else {
        format!("{}（{}）", c.relationship, c.relationship_other_text)
    };
    let rows = vec![
        (
            "氏名",
            format!(
                "{} {}（{} {}）",
                c.last_name, c.first_name, c.last_name_kana, c.first_name_kana
            ),
        ),
        ("続柄・関係性", relationship),
        ("電話番号", c.tel),
        ("住所", or_blank(&c.address)),
        ("備考", or_blank(&c.notes)),
    ];
    view! {
        <h3>{format!("緊急連絡先{}", n + 1)}</h3>
        <dl class="summary">
            {rows.into_iter().map(|(label, value)| view! { <div><dt>{label}</dt><dd>{value}</dd></div> }).collect_view()}
        </dl>
    }
}

#[component]
pub fn RecipientNewPage() -> impl IntoView {
    view! {
        <Title text="利用者の登録" />
        <SignedIn render=new_for />
    }
}

/// Employees fill in the same form; sending it makes an approval request (§1.2).
fn request_notice(user: &CurrentUser) -> Option<impl IntoView + use<>> {
    (!user.role.at_least(Role::Manager)).then(|| {
        view! {
            <div class="notice" role="status">
                <p>"従業員の登録・変更は申請になります。管理者が承認すると反映されます。"</p>
            </div>
        }
    })
}

fn new_for(user: CurrentUser) -> AnyView {
    let request = !user.role.at_least(Role::Manager);
    let context = Resource::new(|| (), |_| get_recipient_form_context());
    view! {
        <section class="settings settings--wide" aria-labelledby="wizard-title">
            <h1 id="wizard-title">{if request { "利用者の登録申請" } else { "利用者の登録" }}</h1>
            {request_notice(&user)}
            {(!user.mfa_enabled).then(|| view! {
                <div class="notice" role="status">
                    <p>"利用者の情報を登録・編集するには、2段階認証の設定が必要です。"</p>
                    <a class="button" href="/settings/security">"2段階認証を設定する"</a>
                </div>
            })}
            <Suspense fallback=|| view! { <p class="loading">"読み込み中…"</p> }>
                {move || Suspend::new(async move {
                    match context.await {
                        Ok(context) => {
                            let initial = RecipientInput {
                                // One service type: chosen already (§4.2).
                                service_type: match context.service_types.as_slice() {
                                    [only] => only.code().to_owned(),
                                    _ => String::new(),
                                },
                                emergency_contacts: vec![EmergencyContactInput::default()],
                                ..RecipientInput::default()
                            };
                            view! { <RecipientWizard initial context mode=WizardMode::Create request /> }.into_any()
                        }
                        Err(e) => error_view(e),
                    }
                })}
            </Suspense>
        </section>
    }
    .into_any()
}

#[component]
pub fn RecipientEditPage() -> impl IntoView {
    let (id, data) = recipient_data();
    view! {
        <Title text="利用者情報の編集" />
        <SignedIn render=move |user| edit_for(user, id, data) />
    }
}

fn edit_for(user: CurrentUser, id: Option<Uuid>, data: RecipientData) -> AnyView {
    let request = !user.role.at_least(Role::Manager);
    let Some(id) = id else {
        return error_view(AppError::new(shared::ErrorCode::NotFound));
    };
    view! {
        <section class="settings settings--wide" aria-labelledby="wizard-title">
            <p><a href=format!("/recipients/{id}")>"← 利用者の詳細へ"</a></p>
            <h1 id="wizard-title">{if request { "利用者情報の変更申請" } else { "利用者情報の編集" }}</h1>
            {request_notice(&user)}
            <Suspense fallback=|| view! { <p class="loading">"読み込み中…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok((record, context)) => {
                            let mode = WizardMode::Edit { id: record.id, version: record.version };
                            view! { <RecipientWizard initial=record.input context mode request /> }.into_any()
                        }
                        Err(e) => error_view(e),
                    }
                })}
            </Suspense>
        </section>
    }
    .into_any()
}
