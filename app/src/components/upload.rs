//! The browser side of a PDF upload (SPEC §7.2): a file chosen with the picker or dropped on the
//! zone, checked with the shared rule (`PdfCheck`: size, then the `%PDF-` bytes) before anything
//! is sent, and sent with `XMLHttpRequest` so the progress bar can follow the bytes.

use leptos::prelude::*;
use shared::{
    AppError,
    document::{UPLOAD_HINT, UploadMeta, UploadOutcome, size_label},
};

/// A file the user chose and the rule accepted.
#[derive(Clone)]
pub struct ChosenFile {
    pub name: String,
    pub size: u64,
    #[cfg(feature = "hydrate")]
    file: send_wrapper::SendWrapper<web_sys::File>,
}

impl std::fmt::Debug for ChosenFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChosenFile")
            .field("size", &self.size)
            .finish_non_exhaustive()
    }
}

/// The first five bytes through `Blob.slice`, then the shared rule.
#[cfg(feature = "hydrate")]
async fn accept(file: web_sys::File) -> Result<ChosenFile, String> {
    let size = file.size() as u64;
    let head = match file.slice_with_i32_and_i32(0, 5) {
        Ok(blob) => match wasm_bindgen_futures::JsFuture::from(blob.array_buffer()).await {
            Ok(buffer) => js_sys::Uint8Array::new(&buffer).to_vec(),
            Err(_) => Vec::new(),
        },
        Err(_) => Vec::new(),
    };
    shared::document::PdfCheck::file(size, &head).map_err(|r| r.message().to_owned())?;
    Ok(ChosenFile {
        name: file.name(),
        size,
        file: send_wrapper::SendWrapper::new(file),
    })
}

/// 「PDFファイルを選択」 with a drop zone: `chosen` holds an accepted file, `error` why the last
/// one was refused.
#[component]
pub fn PdfDropzone(
    /// The input's id (its label is the zone).
    id: String,
    chosen: RwSignal<Option<ChosenFile>>,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let over = RwSignal::new(false);
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    #[cfg(feature = "hydrate")]
    let take_file = move |file: Option<web_sys::File>| {
        let Some(file) = file else { return };
        leptos::task::spawn_local(async move {
            match accept(file).await {
                Ok(file) => {
                    error.set(None);
                    chosen.set(Some(file));
                }
                Err(message) => {
                    chosen.set(None);
                    error.set(Some(message));
                }
            }
        });
    };
    view! {
        <div
            class="dropzone"
            class:dropzone--over=move || over.get()
            on:dragover=move |ev: leptos::ev::DragEvent| {
                ev.prevent_default();
                over.set(true);
            }
            on:dragleave=move |_| over.set(false)
            on:drop=move |ev: leptos::ev::DragEvent| {
                ev.prevent_default();
                over.set(false);
                #[cfg(feature = "hydrate")]
                take_file(ev.data_transfer().and_then(|d| d.files()).and_then(|f| f.get(0)));
                #[cfg(not(feature = "hydrate"))]
                let _ = ev;
            }
        >
            <label for=id.clone() class="dropzone__label">
                "PDFファイルをここにドラッグ＆ドロップするか、クリックして選択"
            </label>
            <input
                id=id
                class="dropzone__input"
                type="file"
                accept="application/pdf,.pdf"
                aria-describedby=format!("{hint_id} {error_id}")
                on:change=move |ev| {
                    #[cfg(feature = "hydrate")]
                    {
                        use wasm_bindgen::JsCast;
                        let file = ev
                            .target()
                            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                            .and_then(|i| i.files())
                            .and_then(|f| f.get(0));
                        take_file(file);
                    }
                    #[cfg(not(feature = "hydrate"))]
                    let _ = ev;
                }
            />
            <p id=hint_id class="field__hint">{UPLOAD_HINT}</p>
            {move || chosen.get().map(|f| view! {
                <p class="dropzone__chosen">{format!("選択中: {}（{}）", f.name, size_label(f.size))}</p>
            })}
            <p id=error_id class="field__error" role="alert">{move || error.get()}</p>
        </div>
    }
}

/// Sends `meta` then `file` to `POST /api/documents/upload`; `progress` follows the upload in
/// percent. The server's typed error comes back as it is.
pub async fn send(
    meta: &UploadMeta,
    file: &ChosenFile,
    progress: RwSignal<u8>,
) -> Result<UploadOutcome, AppError> {
    #[cfg(feature = "hydrate")]
    {
        return send_xhr(meta, file, progress).await;
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (meta, file, progress);
        Err(AppError::new(shared::ErrorCode::Internal))
    }
}

#[cfg(feature = "hydrate")]
async fn send_xhr(
    meta: &UploadMeta,
    file: &ChosenFile,
    progress: RwSignal<u8>,
) -> Result<UploadOutcome, AppError> {
    use std::{cell::RefCell, rc::Rc};
    use wasm_bindgen::{JsCast, closure::Closure};
    let network = || {
        AppError::with_message(
            shared::ErrorCode::Internal,
            shared::error::NETWORK_ERROR_MESSAGE,
        )
    };
    let xhr = web_sys::XmlHttpRequest::new().map_err(|_| network())?;
    xhr.open("POST", "/api/documents/upload")
        .map_err(|_| network())?;
    if let Some(token) = crate::csrf::page_token() {
        let _ = xhr.set_request_header("X-CSRF-Token", &token);
    }
    let form = web_sys::FormData::new().map_err(|_| network())?;
    let json = serde_json::to_string(meta).map_err(|_| network())?;
    form.append_with_str("meta", &json).map_err(|_| network())?;
    form.append_with_blob_and_filename("file", &file.file, &file.name)
        .map_err(|_| network())?;

    let (done_tx, done_rx) = futures::channel::oneshot::channel::<()>();
    let done_tx = Rc::new(RefCell::new(Some(done_tx)));
    let on_progress =
        Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |ev: web_sys::ProgressEvent| {
            if ev.length_computable() && ev.total() > 0.0 {
                let percent = (ev.loaded() / ev.total() * 100.0).clamp(0.0, 100.0) as u8;
                progress.set(percent);
            }
        });
    let on_end = Closure::<dyn FnMut()>::new(move || {
        if let Some(tx) = done_tx.borrow_mut().take() {
            let _ = tx.send(());
        }
    });
    if let Ok(upload) = xhr.upload() {
        upload.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
    }
    xhr.set_onloadend(Some(on_end.as_ref().unchecked_ref()));
    progress.set(0);
    xhr.send_with_opt_form_data(Some(&form))
        .map_err(|_| network())?;
    let _ = done_rx.await;
    drop((on_progress, on_end));
    let status = xhr.status().unwrap_or(0);
    let body = xhr.response_text().ok().flatten().unwrap_or_default();
    match status {
        200 => {
            progress.set(100);
            serde_json::from_str(&body).map_err(|_| network())
        }
        0 => Err(network()),
        _ => Err(serde_json::from_str::<AppError>(&body).unwrap_or_else(|_| network())),
    }
}
