//! The detail page's 利用終了 / 削除 / 元に戻す actions (SPEC §4.3): managers and owners act at
//! once, employees send the same form as an approval request (§1.2).

use crate::{
    api::recipients::{ArchiveRecipient, DeleteRecipient, RestoreRecipient},
    browser::go_to,
    components::{
        fields::{Bound, FieldFrame, InputField, SelectField},
        form::{FormAlert, FormState},
    },
};
use leptos::prelude::*;
use shared::{
    AppError,
    dates::parse_date,
    recipient::{ArchiveInput, EndReason, RecipientRecord, RecipientStatus, SaveOutcome},
};

/// Reloads the detail page after a change (or opens the request an employee's call made), or
/// shows the error; `true` when a duplicate needs confirming.
fn after(form: FormState, id: uuid::Uuid, answer: Option<Result<SaveOutcome, AppError>>) -> bool {
    match answer {
        Some(Ok(SaveOutcome::DuplicateFound { .. })) => true,
        Some(Ok(SaveOutcome::PendingApproval { request_id })) => {
            go_to(&format!("/approvals/{request_id}"));
            false
        }
        Some(Ok(_)) => {
            go_to(&format!("/recipients/{id}"));
            false
        }
        Some(Err(error)) => {
            form.server_failed(error);
            false
        }
        None => false,
    }
}

#[component]
pub fn LifecycleActions(
    record: RecipientRecord,
    today: String,
    /// An employee: each action becomes an approval request.
    request: bool,
) -> impl IntoView {
    let ask = move |label: &'static str| {
        if request {
            format!("{label}（申請）")
        } else {
            label.to_owned()
        }
    };
    let (id, version) = (record.id, record.version);
    let form = FormState::new();
    let archive = ServerAction::<ArchiveRecipient>::new();
    let delete = ServerAction::<DeleteRecipient>::new();
    let restore = ServerAction::<RestoreRecipient>::new();
    let duplicate = RwSignal::new(false);
    Effect::new(move |_| {
        after(form, id, archive.value().get());
    });
    Effect::new(move |_| {
        after(form, id, delete.value().get());
    });
    Effect::new(move |_| {
        if after(form, id, restore.value().get()) {
            duplicate.set(true);
        }
    });
    let opened = RwSignal::new(None::<&'static str>);

    let input = RwSignal::new(ArchiveInput::default());
    let today = parse_date(&today).unwrap_or(time::Date::MIN);
    let contract = parse_date(&record.input.contract_date).ok();
    let local =
        Memo::new(move |_| input.with(|i| i.parse(today, contract).err().unwrap_or_default()));
    let message = move |field: &'static str| form.message(local, field);
    let reasons: Vec<(String, String)> = EndReason::ALL
        .iter()
        .map(|r| (r.as_str().to_owned(), r.label().to_owned()))
        .collect();
    let other = move || input.with(|i| i.end_reason == EndReason::Other.as_str());
    let bound = move |get: fn(&ArchiveInput) -> &String,
                      set: fn(&mut ArchiveInput) -> &mut String| {
        Bound::new(input, move |s| get(s).clone(), move |s, v| *set(s) = v)
    };
    let edited = Callback::new(move |()| form.edited());

    let status = record.status;
    view! {
        <section class="settings__section" aria-labelledby="lifecycle-title">
            <h2 id="lifecycle-title">"利用状況の変更"</h2>
            <FormAlert message=form.alert() />
            {match status {
                RecipientStatus::Active => view! {
                    <p>
                        <button type="button" class="button button--secondary" on:click=move |_| opened.set(Some("archive"))>{ask("利用終了にする")}</button>
                        " "
                        <button type="button" class="link-button link-button--danger" on:click=move |_| opened.set(Some("delete"))>{ask("削除する")}</button>
                    </p>
                }.into_any(),
                _ => view! {
                    <p>
                        <button type="button" class="button button--secondary" disabled=move || restore.pending().get()
                            on:click=move |_| { restore.dispatch(RestoreRecipient { id, version, confirm_duplicate: false, note: String::new() }); }>
                            {ask("利用中に戻す")}
                        </button>
                    </p>
                    <Show when=move || duplicate.get()>
                        <div class="notice" role="alert">
                            <p>"同じ氏名・生年月日の利用者が既に登録されています。利用中に戻しますか？"</p>
                            <button type="button" class="button"
                                on:click=move |_| { restore.dispatch(RestoreRecipient { id, version, confirm_duplicate: true, note: String::new() }); }>
                                {ask("利用中に戻す")}
                            </button>
                        </div>
                    </Show>
                }.into_any(),
            }}
            <Show when=move || opened.get() == Some("archive")>
                <form
                    class="form"
                    novalidate
                    on:submit=move |ev| {
                        ev.prevent_default();
                        if form.try_submit(local) {
                            archive.dispatch(ArchiveRecipient { id, version, input: input.get_untracked(), note: String::new() });
                        }
                    }
                >
                    <InputField frame=FieldFrame::new("end_date", "利用終了日", message("end_date")).required() kind="date" value=bound(|i| &i.end_date, |i| &mut i.end_date) on_edit=edited />
                    <SelectField frame=FieldFrame::new("end_reason", "終了の理由", message("end_reason")).required() value=bound(|i| &i.end_reason, |i| &mut i.end_reason) options=reasons.clone() on_edit=edited />
                    <Show when=other>
                        <InputField frame=FieldFrame::new("end_reason_text", "終了の理由（その他の内容）", message("end_reason_text")).required() value=bound(|i| &i.end_reason_text, |i| &mut i.end_reason_text) on_edit=edited />
                    </Show>
                    <InputField frame=FieldFrame::new("last_service_date", "最終サービス提供日（任意）", message("last_service_date")) kind="date" value=bound(|i| &i.last_service_date, |i| &mut i.last_service_date) on_edit=edited />
                    <p>"利用終了にすると、ダッシュボードや期限の通知に表示されなくなります。記録は保存期間のあいだ残ります。"</p>
                    <button type="submit" class="button" disabled=move || archive.pending().get()>{ask("利用終了にする")}</button>
                </form>
            </Show>
            <Show when=move || opened.get() == Some("delete")>
                <div class="notice" role="alert">
                    <p>"誤って登録した場合のみ削除してください。削除から30日間は元に戻せます。支援を終えた方は「利用終了にする」を使ってください。"</p>
                    <button type="button" class="button" disabled=move || delete.pending().get()
                        on:click=move |_| { delete.dispatch(DeleteRecipient { id, version, note: String::new() }); }>
                        {ask("削除する")}
                    </button>
                </div>
            </Show>
        </section>
    }
}
