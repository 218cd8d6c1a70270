//! The few browser actions pages need, as no-ops on the server.

/// Loads `path` as a new page (after login or logout, so that everything, including the CSRF
/// token in the page, belongs to the new session).
pub fn go_to(_path: &str) {
    #[cfg(feature = "hydrate")]
    {
        let _ = leptos::prelude::window().location().assign(_path);
    }
}

/// The value of `name` in the URL fragment (`#token=…`): tokens travel there so they never reach
/// server logs or `Referer` headers.
pub fn fragment_param(_name: &str) -> Option<String> {
    #[cfg(feature = "hydrate")]
    {
        let hash = leptos::prelude::window().location().hash().ok()?;
        return hash
            .trim_start_matches('#')
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(key, _)| *key == _name)
            .map(|(_, value)| value.to_owned());
    }
    #[allow(unreachable_code)]
    None
}

/// While `dirty` holds, leaving the page asks first: closing or reloading the tab (the browser's
/// own dialog) and following a link (「保存していない変更があります…」). Removed with the page.
pub fn confirm_before_leaving(_dirty: leptos::prelude::Signal<bool>) {
    #[cfg(feature = "hydrate")]
    {
        use leptos::prelude::*;
        use wasm_bindgen::{JsCast, closure::Closure};
        const QUESTION: &str = "保存していない変更があります。このページを離れてもよろしいですか？";

        let unload = window_event_listener(leptos::ev::beforeunload, move |ev| {
            if _dirty.try_get_untracked().unwrap_or(false) {
                ev.prevent_default();
                ev.set_return_value(QUESTION);
            }
        });
        // Links are followed by the router on the bubbling click; a capturing listener sees the
        // click first and can stop it.
        let on_click =
            Closure::<dyn Fn(web_sys::MouseEvent)>::new(move |ev: web_sys::MouseEvent| {
                if !_dirty.try_get_untracked().unwrap_or(false) {
                    return;
                }
                let is_link = ev
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                    .and_then(|e| e.closest("a[href]").ok().flatten())
                    .is_some();
                if is_link && !window().confirm_with_message(QUESTION).unwrap_or(true) {
                    ev.prevent_default();
                    ev.stop_immediate_propagation();
                }
            });
        let function: js_sys::Function = on_click
            .as_ref()
            .unchecked_ref::<js_sys::Function>()
            .clone();
        let _ = window().add_event_listener_with_callback_and_bool("click", &function, true);
        let on_click = send_wrapper::SendWrapper::new(on_click);
        on_cleanup(move || {
            let _ = window().remove_event_listener_with_callback_and_bool(
                "click",
                on_click.as_ref().as_ref().unchecked_ref(),
                true,
            );
            unload.remove();
        });
    }
}

/// Offers `content` to the user as a download named `name`.
pub fn save_file(_name: &str, _mime: &str, _content: &str) {
    #[cfg(feature = "hydrate")]
    {
        use leptos::prelude::document;
        use wasm_bindgen::{JsCast, JsValue};
        let parts = js_sys::Array::of1(&JsValue::from_str(_content));
        let options = web_sys::BlobPropertyBag::new();
        options.set_type(_mime);
        let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
            return;
        };
        let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
            return;
        };
        if let Some(anchor) = document()
            .create_element("a")
            .ok()
            .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
        {
            anchor.set_href(&url);
            anchor.set_download(_name);
            anchor.click();
        }
        let _ = web_sys::Url::revoke_object_url(&url);
    }
}

/// The bytes of the file chosen in the file input with id `_input_id` (`None`: none chosen).
pub async fn chosen_file(_input_id: &str) -> Option<(String, Vec<u8>)> {
    #[cfg(feature = "hydrate")]
    {
        use leptos::prelude::document;
        use wasm_bindgen::JsCast;
        let input = document()
            .get_element_by_id(_input_id)?
            .dyn_into::<web_sys::HtmlInputElement>()
            .ok()?;
        let file = input.files()?.get(0)?;
        let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
            .await
            .ok()?;
        return Some((file.name(), js_sys::Uint8Array::new(&buffer).to_vec()));
    }
    #[allow(unreachable_code)]
    None
}
