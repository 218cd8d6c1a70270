//! A modal dialog on the native `<dialog>` element: `showModal()` gives the focus trap, the
//! backdrop and Escape for free. The content is rendered only while open, so every form inside
//! starts fresh.

use leptos::prelude::*;

#[component]
pub fn Modal(
    /// Open while `true`; closing the dialog (Escape, 「閉じる」) sets it back.
    open: RwSignal<bool>,
    /// The element id (`{id}-title` labels it).
    id: String,
    #[prop(into)] title: Signal<String>,
    children: ChildrenFn,
) -> impl IntoView {
    let title_id = format!("{id}-title");
    #[cfg(feature = "hydrate")]
    {
        let id = id.clone();
        Effect::new(move |_| {
            use wasm_bindgen::JsCast;
            let wanted = open.get();
            let Some(dialog) = document()
                .get_element_by_id(&id)
                .and_then(|e| e.dyn_into::<web_sys::HtmlDialogElement>().ok())
            else {
                return;
            };
            if wanted && !dialog.open() {
                let _ = dialog.show_modal();
            } else if !wanted && dialog.open() {
                dialog.close();
            }
        });
    }
    let children = StoredValue::new(children);
    let labelled_by = title_id.clone();
    view! {
        <dialog id=id class="modal" aria-labelledby=labelled_by on:close=move |_| open.set(false)>
            <div class="modal__header">
                <h2 id=title_id>{move || title.get()}</h2>
                <button type="button" class="modal__close" on:click=move |_| open.set(false)>
                    "閉じる"
                </button>
            </div>
            <Show when=move || open.get()>{children.with_value(|c| c())}</Show>
        </dialog>
    }
}
