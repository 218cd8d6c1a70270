//! Form building blocks shared by every page with a form.
//!
//! Rule: a field's message comes from the `shared` parser of the whole form (shown once the user
//! has tried to send it, then live), or from the server's answer for that field (until the user
//! edits the form again). Every input is labelled, and its message is linked with
//! `aria-describedby`.

use super::fields::{Bound, FieldFrame, InputField};
use leptos::prelude::*;
use shared::{AppError, FieldError, password::checklist};

/// What a form knows besides its values: whether sending was tried, and the server's last error.
#[derive(Clone, Copy)]
pub struct FormState {
    pub submitted: RwSignal<bool>,
    pub server_error: RwSignal<Option<AppError>>,
}

impl FormState {
    pub fn new() -> Self {
        Self {
            submitted: RwSignal::new(false),
            server_error: RwSignal::new(None),
        }
    }

    /// The message for `field`: the server's if it named this field, else the local parser's
    /// once sending was tried.
    pub fn message(
        self,
        local: Memo<Vec<FieldError>>,
        field: impl Into<String>,
    ) -> Signal<Option<String>> {
        let field: String = field.into();
        Signal::derive(move || {
            if let Some(message) = self.server_error.with(|e| {
                e.as_ref()
                    .and_then(|e| e.field_message(&field).map(str::to_owned))
            }) {
                return Some(message);
            }
            if !self.submitted.get() {
                return None;
            }
            local.with(|errors| {
                errors
                    .iter()
                    .find(|e| e.field == field)
                    .map(|e| e.message_ja.clone())
            })
        })
    }

    /// The form-level message (errors not tied to one field).
    pub fn alert(self) -> Signal<Option<String>> {
        Signal::derive(move || {
            self.server_error.with(|e| {
                e.as_ref()
                    .filter(|e| {
                        e.field_errors.is_empty() || e.code != shared::ErrorCode::ValidationFailed
                    })
                    .map(AppError::user_message)
            })
        })
    }

    /// Marks the form as tried; `true` when the local parser found nothing to fix. Otherwise the
    /// first field with a message gets the focus.
    pub fn try_submit(self, local: Memo<Vec<FieldError>>) -> bool {
        self.submitted.set(true);
        self.server_error.set(None);
        let first = local.with_untracked(|errors| errors.first().map(|e| e.field.clone()));
        match first {
            None => true,
            Some(field) => {
                focus_field(&field);
                false
            }
        }
    }

    /// Records the server's answer; focuses the first field it complains about.
    pub fn server_failed(self, error: AppError) {
        if let Some(first) = error.field_errors.first() {
            focus_field(&first.field);
        }
        self.server_error.set(Some(error));
    }

    /// Any edit hides the server's message about the previous attempt.
    pub fn edited(self) {
        if self.server_error.with_untracked(Option::is_some) {
            self.server_error.set(None);
        }
    }
}

impl Default for FormState {
    fn default() -> Self {
        Self::new()
    }
}

/// Field ids are `f-<field name>`.
pub fn field_id(field: &str) -> String {
    format!("f-{field}")
}

fn focus_field(_field: &str) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if let Some(element) = document()
            .get_element_by_id(&field_id(_field))
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = element.focus();
        }
    }
}

/// A labelled single-line input.
#[component]
pub fn TextField(
    /// The field name as the server knows it (`email`, `last_name`, …).
    field: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    #[prop(into)] message: Signal<Option<String>>,
    form: FormState,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(optional)] required: bool,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] inputmode: Option<&'static str>,
) -> impl IntoView {
    // The same markup as every bound field (`fields::InputField`), on a signal of its own.
    let mut frame = FieldFrame::new(field, label, message);
    frame.required = required;
    frame.hint = hint;
    let value = Bound {
        get: value.into(),
        set: Callback::new(move |text| value.set(text)),
    };
    let on_edit = Callback::new(move |()| form.edited());
    view! { <InputField frame value kind autocomplete inputmode on_edit /> }.into_any()
}

/// A labelled checkbox (consents, options).
#[component]
pub fn CheckboxField(
    field: &'static str,
    checked: RwSignal<bool>,
    #[prop(into)] message: Signal<Option<String>>,
    form: FormState,
    children: Children,
) -> impl IntoView {
    let id = field_id(field);
    let error_id = format!("{id}-error");
    view! {
        <div class="field">
            <div class="choice">
                <input
                    id=id.clone()
                    name=field
                    type="checkbox"
                    aria-invalid=move || message.with(Option::is_some).to_string()
                    aria-describedby=error_id.clone()
                    prop:checked=move || checked.get()
                    on:change=move |ev| {
                        checked.set(event_target_checked(&ev));
                        form.edited();
                    }
                />
                <label for=id>{children()}</label>
            </div>
            <p id=error_id class="field__error">
                {move || message.get()}
            </p>
        </div>
    }
    .into_any()
}

/// The form-level message, announced by screen readers.
#[component]
pub fn FormAlert(#[prop(into)] message: Signal<Option<String>>) -> impl IntoView {
    view! {
        <div class="form-alert" role="alert" class:form-alert--shown=move || message.with(Option::is_some)>
            {move || message.get()}
        </div>
    }
}

/// The live checklist of the password rules under a new-password field.
#[component]
pub fn PasswordChecklist(
    #[prop(into)] password: Signal<String>,
    #[prop(into)] email_local: Signal<Option<String>>,
) -> impl IntoView {
    view! {
        <ul class="checklist" aria-label="パスワードの条件">
            {move || {
                let local = email_local.get();
                password
                    .with(|p| checklist(p, local.as_deref()))
                    .into_iter()
                    .map(|(rule, ok)| {
                        view! {
                            <li class="checklist__item" class:checklist__item--ok=ok>
                                <span class="checklist__mark" aria-hidden="true">
                                    {if ok { "✓" } else { "・" }}
                                </span>
                                {rule.label()}
                                <span class="visually-hidden">
                                    {if ok { "（満たしています）" } else { "（未達成）" }}
                                </span>
                            </li>
                        }
                    })
                    .collect_view()
            }}
        </ul>
    }
    .into_any()
}

/// Shown only when JavaScript is off (the `<noscript>` style in the shell shows it and hides
/// every `form.form`): account forms check input with the shared rules in the browser and send
/// the CSRF token, so they need it. Without JavaScript the form would otherwise submit as a GET
/// with the password in the address.
#[component]
pub fn JsRequired() -> impl IntoView {
    view! {
        <p class="notice js-required">
            "この画面を使うには、ブラウザの JavaScript を有効にしてください。"
        </p>
    }
}
