//! 「計画の有効期限を試算する」: the landing page's interactive element.
//!
//! The form is a plain GET form, so it works without JavaScript (the server renders the result
//! from the query string). After hydration the same `shared` parser runs on every change and the
//! result updates in place.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use shared::{
    FieldError,
    dates::format_date_ja,
    validity_preview::{
        DEFAULT_MONITORING_LEAD_DAYS, DELIVERED_DATE_FIELD, INTERVAL_FIELD, ReviewInterval,
        ValidityPreview,
    },
};

#[component]
pub fn ValidityPreviewForm() -> impl IntoView {
    let query = use_query_map();
    let (initial_delivered, initial_interval) = query.with_untracked(|q| {
        (
            q.get(DELIVERED_DATE_FIELD),
            q.get(INTERVAL_FIELD)
                .unwrap_or_else(|| ReviewInterval::SixMonths.as_param().to_owned()),
        )
    });
    // Errors appear once the user has sent the form or changed the date, never on first sight.
    let show_errors = RwSignal::new(initial_delivered.is_some());
    let delivered = RwSignal::new(initial_delivered.unwrap_or_default());
    let interval = RwSignal::new(initial_interval);
    let parsed =
        Memo::new(move |_| delivered.with(|d| interval.with(|i| ValidityPreview::parse(d, i))));

    let field_error = move |field: &'static str| {
        move || {
            show_errors
                .get()
                .then(|| parsed.with(|p| first_error(p, field)))
                .flatten()
        }
    };
    let delivered_error = field_error(DELIVERED_DATE_FIELD);
    let interval_error = field_error(INTERVAL_FIELD);

    view! {
        <section id="preview" class="preview" aria-labelledby="preview-title">
            <h2 id="preview-title">"計画の有効期限を試算する"</h2>
            <p>
                "計画書の交付日と見直し間隔から、計画の有効期限とモニタリングの目安日を計算します。"
            </p>
            <form
                class="preview__form"
                method="get"
                action="/#preview"
                novalidate
                on:submit=move |ev| {
                    ev.prevent_default();
                    show_errors.set(true);
                }
            >
                <div class="field">
                    <label for="preview-delivered">"交付日"</label>
                    <input
                        id="preview-delivered"
                        name=DELIVERED_DATE_FIELD
                        type="date"
                        min="2000-01-01"
                        max="2100-12-31"
                        value=move || delivered.get()
                        aria-invalid=move || delivered_error().is_some().to_string()
                        aria-describedby="preview-delivered-error"
                        on:input=move |ev| delivered.set(event_target_value(&ev))
                        on:change=move |_| show_errors.set(true)
                    />
                    <p id="preview-delivered-error" class="field__error">
                        {delivered_error}
                    </p>
                </div>
                <fieldset class="field" aria-describedby="preview-interval-error">
                    <legend>"見直し間隔"</legend>
                    {ReviewInterval::ALL
                        .into_iter()
                        .map(|option| {
                            let id = format!("preview-interval-{}", option.as_param());
                            view! {
                                <div class="choice">
                                    <input
                                        id=id.clone()
                                        type="radio"
                                        name=INTERVAL_FIELD
                                        value=option.as_param()
                                        checked=move || interval.get() == option.as_param()
                                        on:change=move |_| interval.set(option.as_param().to_owned())
                                    />
                                    <label for=id>{option.label_ja()}</label>
                                </div>
                            }
                        })
                        .collect_view()}
                    <p id="preview-interval-error" class="field__error">
                        {interval_error}
                    </p>
                </fieldset>
                <button type="submit" class="button">
                    "計算する"
                </button>
            </form>
            <div class="preview__result" aria-live="polite">
                {move || match parsed.get() {
                    Ok(preview) => view! { <PreviewResult preview /> }.into_any(),
                    Err(_) => {
                        view! {
                            <p class="preview__hint">
                                "交付日を入力すると、ここに結果が表示されます。"
                            </p>
                        }
                            .into_any()
                    }
                }}
            </div>
        </section>
    }
}

#[component]
fn PreviewResult(preview: ValidityPreview) -> impl IntoView {
    view! {
        <dl class="preview__dates">
            <div>
                <dt>"計画の有効期限"</dt>
                <dd data-testid="valid-until">{format_date_ja(preview.valid_until())}</dd>
            </div>
            <div>
                <dt>"モニタリングの目安"</dt>
                <dd data-testid="monitoring-due">
                    {format_date_ja(preview.monitoring_due())}
                    {format!("まで（有効期限の{DEFAULT_MONITORING_LEAD_DAYS}日前）")}
                </dd>
            </div>
            <div>
                <dt>"次の計画期間の開始"</dt>
                <dd>{format_date_ja(preview.next_period_start())}</dd>
            </div>
        </dl>
    }
}

fn first_error(parsed: &Result<ValidityPreview, Vec<FieldError>>, field: &str) -> Option<String> {
    parsed
        .as_ref()
        .err()?
        .iter()
        .find(|e| e.field == field)
        .map(|e| e.message_ja.clone())
}
