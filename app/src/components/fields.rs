//! Labelled inputs bound to one value inside a larger form state (the recipient wizard keeps the
//! whole `RecipientInput` in one signal). Same markup and accessibility rules as `form.rs`: a
//! visible label, `aria-required`, `aria-invalid`, and the message linked by `aria-describedby`.

use super::form::field_id;
use leptos::prelude::*;

/// Read and write access to one value of a form state.
pub struct Bound<T: Send + Sync + 'static> {
    pub get: Signal<T>,
    pub set: Callback<T>,
}

impl<T: Send + Sync + 'static> Clone for Bound<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T: Send + Sync + 'static> Copy for Bound<T> {}

impl<T: Clone + Send + Sync + 'static> Bound<T> {
    /// `get` reads the value out of the state, `set` writes it back.
    pub fn new<S: Send + Sync + 'static>(
        state: RwSignal<S>,
        get: impl Fn(&S) -> T + Send + Sync + 'static,
        set: impl Fn(&mut S, T) + Send + Sync + 'static,
    ) -> Self {
        Self {
            get: Signal::derive(move || state.with(&get)),
            set: Callback::new(move |value: T| state.update(|s| set(s, value))),
        }
    }
}

/// The (stored value, label) pairs of a closed set of options, for a select or radio group.
pub fn choices<T: Copy>(
    all: &[T],
    value: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> Vec<(String, String)> {
    all.iter()
        .map(|t| (value(*t).to_owned(), label(*t).to_owned()))
        .collect()
}

/// What every field shows besides its input.
#[derive(Clone)]
pub struct FieldFrame {
    pub field: String,
    pub label: String,
    pub message: Signal<Option<String>>,
    pub required: bool,
    pub hint: Option<&'static str>,
}

impl FieldFrame {
    pub fn new(
        field: impl Into<String>,
        label: impl Into<String>,
        message: Signal<Option<String>>,
    ) -> Self {
        Self {
            field: field.into(),
            label: label.into(),
            message,
            required: false,
            hint: None,
        }
    }

    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }

    pub fn hint(mut self, hint: &'static str) -> Self {
        self.hint = Some(hint);
        self
    }

    fn ids(&self) -> (String, String, String, String) {
        let id = field_id(&self.field);
        let error_id = format!("{id}-error");
        let hint_id = format!("{id}-hint");
        let described = if self.hint.is_some() {
            format!("{error_id} {hint_id}")
        } else {
            error_id.clone()
        };
        (id, error_id, hint_id, described)
    }

    fn label_view(&self, id: &str, hint_id: &str) -> impl IntoView + use<> {
        let required = self.required;
        let label = self.label.clone();
        let hint = self.hint;
        let id = id.to_owned();
        let hint_id = hint_id.to_owned();
        view! {
            <div class="field__label">
                <label for=id>{label}</label>
                {required.then(|| view! { <span class="field__required" aria-hidden="true">"必須"</span> })}
            </div>
            {hint.map(|text| view! { <p id=hint_id class="field__hint">{text}</p> })}
        }
    }

    fn error_view(&self, error_id: String) -> impl IntoView + use<> {
        let message = self.message;
        view! { <p id=error_id class="field__error">{move || message.get()}</p> }
    }
}

/// A single-line input (`kind`: text, date, tel, …).
#[component]
pub fn InputField(
    frame: FieldFrame,
    value: Bound<String>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(optional_no_strip, into)] inputmode: Option<&'static str>,
    /// The id of a `<datalist>` of suggestions.
    #[prop(optional_no_strip, into)]
    list: Option<&'static str>,
    #[prop(optional)] on_edit: Option<Callback<()>>,
) -> impl IntoView {
    let (id, error_id, hint_id, described) = frame.ids();
    let message = frame.message;
    view! {
        <div class="field">
            {frame.label_view(&id, &hint_id)}
            <input
                id=id
                name=frame.field.clone()
                type=kind
                autocomplete=autocomplete
                inputmode=inputmode
                list=list
                aria-required=frame.required.then_some("true")
                aria-invalid=move || message.with(Option::is_some).to_string()
                aria-describedby=described
                prop:value=move || value.get.get()
                on:input=move |ev| {
                    value.set.run(event_target_value(&ev));
                    if let Some(edit) = on_edit {
                        edit.run(());
                    }
                }
            />
            {frame.error_view(error_id)}
        </div>
    }
}

/// A multi-line input.
#[component]
pub fn TextAreaField(
    frame: FieldFrame,
    value: Bound<String>,
    #[prop(optional)] on_edit: Option<Callback<()>>,
) -> impl IntoView {
    let (id, error_id, hint_id, described) = frame.ids();
    let message = frame.message;
    view! {
        <div class="field">
            {frame.label_view(&id, &hint_id)}
            <textarea
                id=id
                name=frame.field.clone()
                rows="4"
                aria-required=frame.required.then_some("true")
                aria-invalid=move || message.with(Option::is_some).to_string()
                aria-describedby=described
                prop:value=move || value.get.get()
                on:input=move |ev| {
                    value.set.run(event_target_value(&ev));
                    if let Some(edit) = on_edit {
                        edit.run(());
                    }
                }
            ></textarea>
            {frame.error_view(error_id)}
        </div>
    }
}

/// A select with a leading 「選択してください」 entry; `options` are (stored value, label).
#[component]
pub fn SelectField(
    frame: FieldFrame,
    value: Bound<String>,
    #[prop(into)] options: Signal<Vec<(String, String)>>,
    #[prop(optional)] on_edit: Option<Callback<()>>,
) -> impl IntoView {
    let (id, error_id, hint_id, described) = frame.ids();
    let message = frame.message;
    view! {
        <div class="field">
            {frame.label_view(&id, &hint_id)}
            <select
                id=id
                name=frame.field.clone()
                aria-required=frame.required.then_some("true")
                aria-invalid=move || message.with(Option::is_some).to_string()
                aria-describedby=described
                prop:value=move || value.get.get()
                on:change=move |ev| {
                    value.set.run(event_target_value(&ev));
                    if let Some(edit) = on_edit {
                        edit.run(());
                    }
                }
            >
                <option value="">"選択してください"</option>
                {move || {
                    let current = value.get.get();
                    options
                        .get()
                        .into_iter()
                        .map(|(v, label)| {
                            let selected = v == current;
                            view! { <option value=v selected=selected>{label}</option> }
                        })
                        .collect_view()
                }}
            </select>
            {frame.error_view(error_id)}
        </div>
    }
}

/// A checkbox with its label on the right.
#[component]
pub fn CheckField(
    frame: FieldFrame,
    value: Bound<bool>,
    #[prop(optional)] on_edit: Option<Callback<()>>,
) -> impl IntoView {
    let (id, error_id, _, _) = frame.ids();
    let message = frame.message;
    view! {
        <div class="field">
            <div class="choice">
                <input
                    id=id.clone()
                    name=frame.field.clone()
                    type="checkbox"
                    aria-invalid=move || message.with(Option::is_some).to_string()
                    aria-describedby=error_id.clone()
                    prop:checked=move || value.get.get()
                    on:change=move |ev| {
                        value.set.run(event_target_checked(&ev));
                        if let Some(edit) = on_edit {
                            edit.run(());
                        }
                    }
                />
                <label for=id>{frame.label.clone()}</label>
            </div>
            {frame.error_view(error_id)}
        </div>
    }
}

/// A radio group in a fieldset (few options, all visible); `options` are (stored value, label).
/// The first radio carries the field's id, so focusing the field lands on the group.
#[component]
pub fn RadioField(
    frame: FieldFrame,
    value: Bound<String>,
    options: Vec<(String, String)>,
    #[prop(optional)] on_edit: Option<Callback<()>>,
) -> impl IntoView {
    let (id, error_id, _, _) = frame.ids();
    let message = frame.message;
    let required = frame.required;
    let name = frame.field.clone();
    let described = error_id.clone();
    view! {
        <fieldset
            class="field"
            role="radiogroup"
            aria-required=required.then_some("true")
            aria-invalid=move || message.with(Option::is_some).to_string()
            aria-describedby=described
        >
            <legend class="field__label">
                {frame.label.clone()}
                {required.then(|| view! { <span class="field__required" aria-hidden="true">"必須"</span> })}
            </legend>
            {options
                .into_iter()
                .enumerate()
                .map(|(i, (v, label))| {
                    let radio_id = if i == 0 { id.clone() } else { format!("{id}-{i}") };
                    let checked_value = v.clone();
                    view! {
                        <div class="choice">
                            <input
                                id=radio_id.clone()
                                type="radio"
                                name=name.clone()
                                value=v.clone()
                                prop:checked=move || value.get.get() == checked_value
                                on:change=move |_| {
                                    value.set.run(v.clone());
                                    if let Some(edit) = on_edit {
                                        edit.run(());
                                    }
                                }
                            />
                            <label for=radio_id>{label}</label>
                        </div>
                    }
                })
                .collect_view()}
            {frame.error_view(error_id)}
        </fieldset>
    }
}
