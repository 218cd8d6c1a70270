//! The five-step recipient form (SPEC §4.1) for registration and editing. The whole form lives in
//! one `RecipientInput` signal, so moving between steps keeps every value; `shared::recipient`
//! parses it on every change and the messages appear beside the fields the user has touched (or
//! every field of the step once 「次へ」 was pressed). The server parses the same input again.

use crate::{
    api::recipients::{CreateRecipient, UpdateRecipient, get_recipient},
    browser::{confirm_before_leaving, go_to},
    components::{
        fields::{Bound, CheckField, FieldFrame, InputField, SelectField, TextAreaField, choices},
        form::{FormAlert, FormState, field_id},
    },
};
use leptos::{prelude::*, task::spawn_local};
use shared::{
    AppError, ErrorCode, FieldError,
    approval::parse_note,
    dates::parse_date,
    recipient::{
        ApplicationStatus, DetailCategory, DisabilityDetailInput, EmergencyContactInput,
        FormOfResidence, Gender, LivelihoodProtection, MAX_ASSIGNED_STAFF, MAX_DISABILITY_DETAILS,
        MAX_EMERGENCY_CONTACTS, PhysicalDisabilityType, RecipientContext, RecipientFormContext,
        RecipientInput, Relationship, SaveOutcome, Transportation, WizardStep, field_label,
    },
};
use std::collections::HashSet;
use uuid::Uuid;

/// Registration, or editing the record read at `version`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WizardMode {
    Create,
    Edit { id: Uuid, version: i32 },
}

/// Everything the step views need.
#[derive(Clone, Copy)]
struct Wizard {
    state: RwSignal<RecipientInput>,
    errors: Memo<Vec<FieldError>>,
    form: FormState,
    touched: RwSignal<HashSet<String>>,
    tried: RwSignal<bool>,
}

impl Wizard {
    /// The message beside `field`: the server's, else the shared parser's once the field was
    /// edited or the step was tried.
    fn message(self, field: impl Into<String>) -> Signal<Option<String>> {
        let field: String = field.into();
        Signal::derive(move || {
            let server = self.form.server_error.with(|e| {
                e.as_ref()
                    .and_then(|e| e.field_message(&field).map(str::to_owned))
            });
            if server.is_some() {
                return server;
            }
            if !(self.tried.get() || self.touched.with(|t| t.contains(&field))) {
                return None;
            }
            self.errors.with(|errors| {
                errors
                    .iter()
                    .find(|e| e.field == field)
                    .map(|e| e.message_ja.clone())
            })
        })
    }

    fn frame(self, field: impl Into<String>, label: impl Into<String>) -> FieldFrame {
        let field = field.into();
        FieldFrame::new(field.clone(), label, self.message(field))
    }

    fn edited(self, field: impl Into<String>) -> Callback<()> {
        let field: String = field.into();
        Callback::new(move |()| {
            let field = field.clone();
            self.touched.update(|t| {
                t.insert(field);
            });
            self.form.edited();
        })
    }

    fn text(
        self,
        get: fn(&RecipientInput) -> &String,
        set: fn(&mut RecipientInput) -> &mut String,
    ) -> Bound<String> {
        Bound::new(self.state, move |s| get(s).clone(), move |s, v| *set(s) = v)
    }

    fn contact(
        self,
        i: usize,
        get: fn(&EmergencyContactInput) -> &String,
        set: fn(&mut EmergencyContactInput) -> &mut String,
    ) -> Bound<String> {
        Bound::new(
            self.state,
            move |s| {
                s.emergency_contacts
                    .get(i)
                    .map(get)
                    .cloned()
                    .unwrap_or_default()
            },
            move |s, v| {
                if let Some(c) = s.emergency_contacts.get_mut(i) {
                    *set(c) = v;
                }
            },
        )
    }

    fn detail(
        self,
        i: usize,
        get: fn(&DisabilityDetailInput) -> &String,
        set: fn(&mut DisabilityDetailInput) -> &mut String,
    ) -> Bound<String> {
        Bound::new(
            self.state,
            move |s| {
                s.disability_details
                    .get(i)
                    .map(get)
                    .cloned()
                    .unwrap_or_default()
            },
            move |s, v| {
                if let Some(d) = s.disability_details.get_mut(i) {
                    *set(d) = v;
                }
            },
        )
    }
}

#[component]
pub fn RecipientWizard(
    initial: RecipientInput,
    context: RecipientFormContext,
    mode: WizardMode,
    /// An employee's form: sending it makes an approval request (§1.2), with an optional note.
    #[prop(optional)]
    request: bool,
) -> impl IntoView {
    let creating = mode == WizardMode::Create;
    let note = RwSignal::new(String::new());
    let note_error = Memo::new(move |_| note.with(|n| parse_note("note", n).err()));
    let parse_ctx = RecipientContext {
        today: parse_date(&context.today).unwrap_or(time::Date::MIN),
        service_types: context.service_types.clone(),
        creating,
    };
    let state = RwSignal::new(initial.clone());
    let errors = Memo::new({
        let parse_ctx = parse_ctx.clone();
        move |_| state.with(|i| i.parse(&parse_ctx).err().unwrap_or_default())
    });
    let w = Wizard {
        state,
        errors,
        form: FormState::new(),
        touched: RwSignal::new(HashSet::new()),
        tried: RwSignal::new(false),
    };
    let step = RwSignal::new(WizardStep::Basic);
    let saved = RwSignal::new(false);
    let dirty = Signal::derive({
        let initial = initial.clone();
        move || !saved.get() && state.with(|s| *s != initial)
    });
    confirm_before_leaving(dirty);

    let step_errors = move |s: WizardStep| {
        errors.with(|e| {
            e.iter()
                .filter(|e| WizardStep::of_field(&e.field) == s)
                .map(|e| e.field.clone())
                .collect::<Vec<_>>()
        })
    };
    let go = move |to: WizardStep| {
        step.set(to);
        w.tried.set(false);
        focus_heading();
    };
    let next = move |_| {
        let current = step.get_untracked();
        let open = step_errors(current);
        if let Some(first) = open.first() {
            w.tried.set(true);
            focus(first);
            return;
        }
        if let Some(to) = WizardStep::ALL.get(current.number() as usize) {
            go(*to);
        }
    };
    let back = move |_| {
        let current = step.get_untracked();
        if current.number() > 1 {
            go(WizardStep::ALL[current.number() as usize - 2]);
        }
    };

    let create = ServerAction::<CreateRecipient>::new();
    let update = ServerAction::<UpdateRecipient>::new();
    let duplicate = RwSignal::new(false);
    let conflict = RwSignal::new(None::<Vec<&'static str>>);
    let pending = Signal::derive(move || create.pending().get() || update.pending().get());
    let submit = move |confirm_duplicate: bool| {
        if note_error.with_untracked(Option::is_some) {
            focus("note");
            return;
        }
        // Any open error sends the user to its step.
        if let Some(first) = errors.with_untracked(|e| e.first().map(|e| e.field.clone())) {
            go(WizardStep::of_field(&first));
            w.tried.set(true);
            focus(&first);
            return;
        }
        w.form.server_error.set(None);
        let input = state.get_untracked();
        match mode {
            WizardMode::Create => {
                create.dispatch(CreateRecipient {
                    input,
                    confirm_duplicate,
                    note: note.get_untracked(),
                });
            }
            WizardMode::Edit { id, version } => {
                update.dispatch(UpdateRecipient {
                    id,
                    version,
                    input,
                    note: note.get_untracked(),
                });
            }
        }
    };
    let on_answer = move |answer: Result<SaveOutcome, AppError>| match answer {
        Ok(SaveOutcome::Saved { id, .. }) => {
            saved.set(true);
            go_to(&format!("/recipients/{id}"));
        }
        Ok(SaveOutcome::PendingApproval { request_id }) => {
            saved.set(true);
            go_to(&format!("/approvals/{request_id}"));
        }
        Ok(SaveOutcome::DuplicateFound { .. }) => duplicate.set(true),
        Err(error) if error.code == ErrorCode::Conflict => {
            if let WizardMode::Edit { id, .. } = mode {
                let read = initial.clone();
                spawn_local(async move {
                    let changed = match get_recipient(id).await {
                        Ok(current) => read.changed_fields(&current.input),
                        Err(_) => Vec::new(),
                    };
                    conflict.set(Some(changed));
                });
            }
            w.form.server_failed(error);
        }
        Err(error) => {
            if let Some(first) = error.field_errors.first() {
                go(WizardStep::of_field(&first.field));
            }
            w.form.server_failed(error);
        }
    };
    Effect::new(move |_| {
        let answer = match mode {
            WizardMode::Create => create.value().get(),
            WizardMode::Edit { .. } => update.value().get(),
        };
        if let Some(answer) = answer {
            on_answer(answer);
        }
    });

    let service_types: Vec<(String, String)> = context
        .service_types
        .iter()
        .map(|t| (t.code().to_owned(), t.label().to_owned()))
        .collect();
    let staff = context.staff.clone();
    let submit_label = match (request, creating) {
        (true, _) => "申請する",
        (false, true) => "登録する",
        (false, false) => "保存する",
    };

    view! {
        <nav aria-label="入力の手順">
            <ol class="wizard-steps">
                {WizardStep::ALL
                    .into_iter()
                    .map(|s| {
                        view! {
                            <li
                                class:wizard-steps__current=move || step.get() == s
                                aria-current=move || (step.get() == s).then_some("step")
                            >
                                {format!("{} {}", s.number(), s.title())}
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </nav>
        <form
            class="form wizard"
            novalidate
            on:submit=move |ev| {
                ev.prevent_default();
                if step.get_untracked() == WizardStep::Details {
                    submit(false);
                } else {
                    next(());
                }
            }
        >
            <h2 id="wizard-step-title" tabindex="-1">
                {move || format!("ステップ{}／5　{}", step.get().number(), step.get().title())}
            </h2>
            <p class="visually-hidden" aria-live="polite">
                {move || format!("ステップ{}「{}」を入力しています", step.get().number(), step.get().title())}
            </p>
            <FormAlert message=w.form.alert() />
            {move || {
                conflict
                    .get()
                    .map(|changed| {
                        let labels = changed.iter().map(|f| field_label(f)).collect::<Vec<_>>().join("、");
                        view! {
                            <div class="notice" role="alert">
                                <p>"他の職員がこの利用者の情報を先に更新しました。"</p>
                                {(!labels.is_empty()).then(|| view! { <p>{format!("更新された項目: {labels}")}</p> })}
                                <p>
                                    <a href="" rel="external">"最新の内容を読み込む"</a>
                                    "（この画面で入力した内容は保存されていません）"
                                </p>
                            </div>
                        }
                    })
            }}
            <Show when=move || step.get() == WizardStep::Basic>
                <BasicStep w service_types=service_types.clone() staff=staff.clone() creating />
            </Show>
            <Show when=move || step.get() == WizardStep::Contact>
                <ContactStep w />
            </Show>
            <Show when=move || step.get() == WizardStep::Emergency>
                <EmergencyStep w />
            </Show>
            <Show when=move || step.get() == WizardStep::Disability>
                <DisabilityStep w />
            </Show>
            <Show when=move || step.get() == WizardStep::Details>
                <DetailsStep w />
            </Show>
            <Show when=move || request && step.get() == WizardStep::Details>
                <TextAreaField
                    frame=FieldFrame::new(
                        "note",
                        "申請理由（任意・500文字以内）",
                        Signal::derive(move || note_error.get().map(|e| e.message_ja)),
                    )
                    value=Bound::new(note, |n| n.clone(), |n, v| *n = v)
                />
                <p>"送信した内容は、管理者が承認すると反映されます。"</p>
            </Show>
            <Show when=move || duplicate.get()>
                <div class="notice" role="alert">
                    <p>"同じ氏名・生年月日の利用者が既に登録されています。登録を続けますか？"</p>
                    <button type="button" class="button" on:click=move |_| submit(true)>"登録を続ける"</button>
                </div>
            </Show>
            <div class="wizard__buttons">
                <button
                    type="button"
                    class="button button--secondary"
                    disabled=move || step.get() == WizardStep::Basic
                    on:click=back
                >
                    "戻る"
                </button>
                {move || {
                    if step.get() == WizardStep::Details {
                        view! {
                            <button type="submit" class="button" disabled=move || pending.get()>
                                {move || if pending.get() { "保存しています…" } else { submit_label }}
                            </button>
                        }
                            .into_any()
                    } else {
                        view! { <button type="submit" class="button">"次へ"</button> }.into_any()
                    }
                }}
            </div>
        </form>
    }
}

/// The 「追加」 buttons of the list steps (where the focus goes after removing an entry).
const ADD_CONTACT: &str = "add-emergency-contact";
const ADD_DETAIL: &str = "add-disability-detail";

fn focus(field: &str) {
    focus_element(field_id(field));
}

fn focus_heading() {
    focus_element("wizard-step-title".to_owned());
}

/// Focuses an element on the next frame (the step may have just been rendered).
fn focus_element(_id: String) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        request_animation_frame(move || {
            if let Some(element) = document()
                .get_element_by_id(&_id)
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = element.focus();
            }
        });
    }
}

#[component]
fn BasicStep(
    w: Wizard,
    service_types: Vec<(String, String)>,
    staff: Vec<(Uuid, String)>,
    creating: bool,
) -> impl IntoView {
    let genders = choices(Gender::ALL, Gender::as_str, Gender::label);
    let staff_message = w.message("assigned_staff_ids");
    view! {
        <div class="form__row">
            <InputField frame=w.frame("last_name", "姓").required().hint("例：山田") value=w.text(|s| &s.last_name, |s| &mut s.last_name) on_edit=w.edited("last_name") />
            <InputField frame=w.frame("first_name", "名").required().hint("例：太郎") value=w.text(|s| &s.first_name, |s| &mut s.first_name) on_edit=w.edited("first_name") />
        </div>
        <div class="form__row">
            <InputField frame=w.frame("last_name_kana", "姓（ふりがな）").required().hint("例：やまだ") value=w.text(|s| &s.last_name_kana, |s| &mut s.last_name_kana) on_edit=w.edited("last_name_kana") />
            <InputField frame=w.frame("first_name_kana", "名（ふりがな）").required().hint("例：たろう") value=w.text(|s| &s.first_name_kana, |s| &mut s.first_name_kana) on_edit=w.edited("first_name_kana") />
        </div>
        <InputField frame=w.frame("birth_date", "生年月日").required() kind="date" value=w.text(|s| &s.birth_date, |s| &mut s.birth_date) on_edit=w.edited("birth_date") />
        <SelectField frame=w.frame("gender", "性別").required() value=w.text(|s| &s.gender, |s| &mut s.gender) options=genders on_edit=w.edited("gender") />
        <SelectField frame=w.frame("service_type", "サービス種別").required() value=w.text(|s| &s.service_type, |s| &mut s.service_type) options=service_types on_edit=w.edited("service_type") />
        <InputField frame=w.frame("contract_date", "利用契約日").required() kind="date" value=w.text(|s| &s.contract_date, |s| &mut s.contract_date) on_edit=w.edited("contract_date") />
        <InputField frame=w.frame("certificate_number", "受給者証番号").hint("10桁の数字（任意）") inputmode="numeric" value=w.text(|s| &s.certificate_number, |s| &mut s.certificate_number) on_edit=w.edited("certificate_number") />
        <fieldset class="field" aria-describedby="f-assigned_staff_ids-error">
            <legend>{format!("担当職員（{MAX_ASSIGNED_STAFF}名まで・任意）")}</legend>
            {staff
                .into_iter()
                .map(|(id, name)| {
                    let key = id.to_string();
                    let value = Bound::new(
                        w.state,
                        {
                            let key = key.clone();
                            move |s: &RecipientInput| s.assigned_staff_ids.contains(&key)
                        },
                        {
                            let key = key.clone();
                            move |s: &mut RecipientInput, on: bool| {
                                s.assigned_staff_ids.retain(|k| *k != key);
                                if on {
                                    s.assigned_staff_ids.push(key.clone());
                                }
                            }
                        },
                    );
                    let frame = FieldFrame::new(format!("assigned_staff_ids-{key}"), name, Signal::derive(|| None));
                    view! { <CheckField frame value on_edit=w.edited("assigned_staff_ids") /> }
                })
                .collect_view()}
            <p id="f-assigned_staff_ids-error" class="field__error">{move || staff_message.get()}</p>
        </fieldset>
        <InputField frame=w.frame("counselling_office", "相談支援事業所").hint("セルフプランの場合は空欄") value=w.text(|s| &s.counselling_office, |s| &mut s.counselling_office) on_edit=w.edited("counselling_office") />
        <CheckField
            frame=w.frame("self_plan", "セルフプラン（計画を相談支援事業所に交付しない）")
            value=Bound::new(w.state, |s| s.self_plan, |s, v| s.self_plan = v)
            on_edit=w.edited("counselling_office")
        />
        {creating.then(|| view! {
            <InputField frame=w.frame("current_plan_delivered_date", "現在の計画の交付日（移行用）").hint("紙やExcelで作成済みの計画がある場合のみ") kind="date" value=w.text(|s| &s.current_plan_delivered_date, |s| &mut s.current_plan_delivered_date) on_edit=w.edited("current_plan_delivered_date") />
        })}
    }
}

#[component]
fn ContactStep(w: Wizard) -> impl IntoView {
    let residences = choices(
        FormOfResidence::ALL,
        FormOfResidence::as_str,
        FormOfResidence::label,
    );
    let transports = choices(
        Transportation::ALL,
        Transportation::as_str,
        Transportation::label,
    );
    let residence_other = move || {
        w.state
            .with(|s| s.form_of_residence == FormOfResidence::Other.as_str())
    };
    let transport_other = move || {
        w.state
            .with(|s| s.means_of_transportation == Transportation::Other.as_str())
    };
    view! {
        <InputField frame=w.frame("postal_code", "郵便番号").hint("例：160-0023（任意）") inputmode="numeric" autocomplete="postal-code" value=w.text(|s| &s.postal_code, |s| &mut s.postal_code) on_edit=w.edited("postal_code") />
        <InputField frame=w.frame("address", "住所").required().hint("例：東京都新宿区西新宿1-1-1") value=w.text(|s| &s.address, |s| &mut s.address) on_edit=w.edited("address") />
        <SelectField frame=w.frame("form_of_residence", "居住形態").required() value=w.text(|s| &s.form_of_residence, |s| &mut s.form_of_residence) options=residences on_edit=w.edited("form_of_residence") />
        <Show when=residence_other>
            <InputField frame=w.frame("form_of_residence_other_text", "居住形態（その他の内容）").required() value=w.text(|s| &s.form_of_residence_other_text, |s| &mut s.form_of_residence_other_text) on_edit=w.edited("form_of_residence_other_text") />
        </Show>
        <SelectField frame=w.frame("means_of_transportation", "交通手段").required() value=w.text(|s| &s.means_of_transportation, |s| &mut s.means_of_transportation) options=transports on_edit=w.edited("means_of_transportation") />
        <Show when=transport_other>
            <InputField frame=w.frame("means_of_transportation_other_text", "交通手段（その他の内容）").required() value=w.text(|s| &s.means_of_transportation_other_text, |s| &mut s.means_of_transportation_other_text) on_edit=w.edited("means_of_transportation_other_text") />
        </Show>
        <InputField frame=w.frame("tel", "電話番号").required().hint("例：090-1234-5678") kind="tel" autocomplete="tel" value=w.text(|s| &s.tel, |s| &mut s.tel) on_edit=w.edited("tel") />
    }
}

#[component]
fn EmergencyStep(w: Wizard) -> impl IntoView {
    let count = Memo::new(move |_| w.state.with(|s| s.emergency_contacts.len()));
    let full = move || count.get() >= MAX_EMERGENCY_CONTACTS;
    let list_message = w.message("emergency_contacts");
    let relationships = choices(Relationship::ALL, Relationship::as_str, Relationship::label);
    view! {
        <p id="f-emergency_contacts-error" class="field__error" tabindex="-1">{move || list_message.get()}</p>
        {move || {
            (0..count.get())
                .map(|i| {
                    let f = move |name: &str| format!("emergency_contacts.{i}.{name}");
                    let other = move || w.state.with(|s| s.emergency_contacts.get(i).is_some_and(|c| c.relationship == Relationship::Other.as_str()));
                    view! {
                        <fieldset class="entry">
                            <legend>{format!("緊急連絡先{}（優先順位{}）", i + 1, i + 1)}</legend>
                            <div class="form__row">
                                <InputField frame=w.frame(f("last_name"), "姓").required() value=w.contact(i, |c| &c.last_name, |c| &mut c.last_name) on_edit=w.edited(f("last_name")) />
                                <InputField frame=w.frame(f("first_name"), "名").required() value=w.contact(i, |c| &c.first_name, |c| &mut c.first_name) on_edit=w.edited(f("first_name")) />
                            </div>
                            <div class="form__row">
                                <InputField frame=w.frame(f("last_name_kana"), "姓（ふりがな）").required() value=w.contact(i, |c| &c.last_name_kana, |c| &mut c.last_name_kana) on_edit=w.edited(f("last_name_kana")) />
                                <InputField frame=w.frame(f("first_name_kana"), "名（ふりがな）").required() value=w.contact(i, |c| &c.first_name_kana, |c| &mut c.first_name_kana) on_edit=w.edited(f("first_name_kana")) />
                            </div>
                            <SelectField frame=w.frame(f("relationship"), "続柄・関係性").required() value=w.contact(i, |c| &c.relationship, |c| &mut c.relationship) options=relationships.clone() on_edit=w.edited(f("relationship")) />
                            <Show when=other>
                                <InputField frame=w.frame(f("relationship_other_text"), "続柄（その他の内容）").required() value=w.contact(i, |c| &c.relationship_other_text, |c| &mut c.relationship_other_text) on_edit=w.edited(f("relationship_other_text")) />
                            </Show>
                            <InputField frame=w.frame(f("tel"), "電話番号").required() kind="tel" value=w.contact(i, |c| &c.tel, |c| &mut c.tel) on_edit=w.edited(f("tel")) />
                            <InputField frame=w.frame(f("address"), "住所（任意）") value=w.contact(i, |c| &c.address, |c| &mut c.address) on_edit=w.edited(f("address")) />
                            <TextAreaField frame=w.frame(f("notes"), "備考（任意）") value=w.contact(i, |c| &c.notes, |c| &mut c.notes) on_edit=w.edited(f("notes")) />
                            <button
                                type="button"
                                class="link-button"
                                disabled=move || count.get() <= 1
                                on:click=move |_| {
                                    w.state.update(|s| { s.emergency_contacts.remove(i); });
                                    // The button is gone with its entry: keyboard users continue at 「追加」.
                                    focus_element(ADD_CONTACT.to_owned());
                                }
                            >
                                {format!("緊急連絡先{}を削除", i + 1)}
                            </button>
                        </fieldset>
                    }
                })
                .collect_view()
        }}
        <button
            id=ADD_CONTACT
            type="button"
            class="button button--secondary"
            disabled=full
            on:click=move |_| {
                let n = count.get_untracked();
                w.state.update(|s| s.emergency_contacts.push(EmergencyContactInput::default()));
                // The new entry's first field takes the focus.
                focus(&format!("emergency_contacts.{n}.last_name"));
            }
        >
            "+ 緊急連絡先を追加"
        </button>
    }
}

#[component]
fn DisabilityStep(w: Wizard) -> impl IntoView {
    let livelihood = choices(
        LivelihoodProtection::ALL,
        LivelihoodProtection::as_str,
        LivelihoodProtection::label,
    );
    view! {
        <InputField frame=w.frame("disability_or_disease_name", "障害または疾患名").required().hint("例：統合失調症、知的障害") value=w.text(|s| &s.disability_or_disease_name, |s| &mut s.disability_or_disease_name) on_edit=w.edited("disability_or_disease_name") />
        <SelectField frame=w.frame("livelihood_protection", "生活保護受給状況").required() value=w.text(|s| &s.livelihood_protection, |s| &mut s.livelihood_protection) options=livelihood on_edit=w.edited("livelihood_protection") />
        <TextAreaField frame=w.frame("special_remarks", "特記事項（任意）") value=w.text(|s| &s.special_remarks, |s| &mut s.special_remarks) on_edit=w.edited("special_remarks") />
    }
}

#[component]
fn DetailsStep(w: Wizard) -> impl IntoView {
    let count = Memo::new(move |_| w.state.with(|s| s.disability_details.len()));
    let full = move || count.get() >= MAX_DISABILITY_DETAILS;
    let categories = choices(
        DetailCategory::ALL,
        DetailCategory::as_str,
        DetailCategory::label,
    );
    let statuses = choices(
        ApplicationStatus::ALL,
        ApplicationStatus::as_str,
        ApplicationStatus::label,
    );
    let physical_types = choices(
        PhysicalDisabilityType::ALL,
        PhysicalDisabilityType::as_str,
        PhysicalDisabilityType::label,
    );
    view! {
        <p>"手帳や年金の情報がない場合は、このまま登録できます。"</p>
        {move || {
            (0..count.get())
                .map(|i| {
                    let f = move |name: &str| format!("disability_details.{i}.{name}");
                    let physical_types = physical_types.clone();
                    let category = Memo::new(move |_| w.state.with(|s| s.disability_details.get(i).and_then(|d| DetailCategory::parse(&d.category))));
                    let grades = Signal::derive(move || {
                        category
                            .get()
                            .map(|c| c.grades().iter().map(|(v, l)| ((*v).to_owned(), (*l).to_owned())).collect())
                            .unwrap_or_default()
                    });
                    // Changing the category resets what depends on it.
                    let category_value = Bound::new(
                        w.state,
                        move |s: &RecipientInput| s.disability_details.get(i).map(|d| d.category.clone()).unwrap_or_default(),
                        move |s: &mut RecipientInput, v: String| {
                            if let Some(d) = s.disability_details.get_mut(i) {
                                d.category = v;
                                d.grade.clear();
                                d.physical_disability_type.clear();
                                d.physical_disability_type_other_text.clear();
                            }
                        },
                    );
                    let physical = move || category.get() == Some(DetailCategory::PhysicalHandbook);
                    let physical_other = move || w.state.with(|s| s.disability_details.get(i).is_some_and(|d| d.physical_disability_type == PhysicalDisabilityType::Other.as_str()));
                    view! {
                        <fieldset class="entry">
                            <legend>{format!("手帳・年金{}", i + 1)}</legend>
                            <SelectField frame=w.frame(f("category"), "種別").required() value=category_value options=categories.clone() on_edit=w.edited(f("category")) />
                            <SelectField frame=w.frame(f("grade"), "等級").hint("取得済みの場合は必須") value=w.detail(i, |d| &d.grade, |d| &mut d.grade) options=grades on_edit=w.edited(f("grade")) />
                            <Show when=physical>
                                <SelectField frame=w.frame(f("physical_disability_type"), "障害の種類") value=w.detail(i, |d| &d.physical_disability_type, |d| &mut d.physical_disability_type) options=physical_types.clone() on_edit=w.edited(f("physical_disability_type")) />
                            </Show>
                            <Show when=physical_other>
                                <InputField frame=w.frame(f("physical_disability_type_other_text"), "障害の種類（その他の内容）").required() value=w.detail(i, |d| &d.physical_disability_type_other_text, |d| &mut d.physical_disability_type_other_text) on_edit=w.edited(f("physical_disability_type_other_text")) />
                            </Show>
                            <SelectField frame=w.frame(f("application_status"), "申請状況").required() value=w.detail(i, |d| &d.application_status, |d| &mut d.application_status) options=statuses.clone() on_edit=w.edited(f("application_status")) />
                            <button type="button" class="link-button" on:click=move |_| {
                                w.state.update(|s| { s.disability_details.remove(i); });
                                focus_element(ADD_DETAIL.to_owned());
                            }>
                                {format!("手帳・年金{}を削除", i + 1)}
                            </button>
                        </fieldset>
                    }
                })
                .collect_view()
        }}
        <button
            id=ADD_DETAIL
            type="button"
            class="button button--secondary"
            disabled=full
            on:click=move |_| {
                let n = count.get_untracked();
                w.state.update(|s| s.disability_details.push(DisabilityDetailInput::default()));
                focus(&format!("disability_details.{n}.category"));
            }
        >
            "+ 手帳・年金情報を追加"
        </button>
    }
}
