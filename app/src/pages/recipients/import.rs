//! `/recipients/import` 「CSVから取り込む」 (SPEC §4.6, managers and owners): choose a file, read
//! the dry run (every error with its row and column), then import all rows or none.

use crate::{
    api::recipients::{commit_recipient_import, preview_recipient_import},
    browser::chosen_file,
    components::form::FormAlert,
    session::SignedIn,
};
use leptos::{prelude::*, task::spawn_local};
use leptos_meta::Title;
use shared::{AppError, Role, account::CurrentUser, recipient::ImportPreview};

const FILE_INPUT: &str = "import-file";

fn encode(bytes: &[u8]) -> String {
    #[cfg(any(feature = "hydrate", feature = "ssr"))]
    {
        use base64::{Engine, engine::general_purpose::STANDARD};
        STANDARD.encode(bytes)
    }
    #[cfg(not(any(feature = "hydrate", feature = "ssr")))]
    {
        let _ = bytes;
        String::new()
    }
}

#[component]
pub fn RecipientImportPage() -> impl IntoView {
    view! {
        <Title text="CSVから取り込む" />
        <SignedIn render=import_for />
    }
}

fn import_for(user: CurrentUser) -> AnyView {
    if !user.role.at_least(Role::Manager) {
        return view! { <p class="form-alert form-alert--shown" role="alert">"この操作を行う権限がありません"</p> }.into_any();
    }
    // The file as read for the dry run: the import sends exactly these bytes again.
    let file = RwSignal::new(None::<(String, String)>);
    let preview = RwSignal::new(None::<ImportPreview>);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let imported = RwSignal::new(None::<u32>);
    let fail = move |e: AppError| {
        error.set(Some(
            e.field_errors
                .first()
                .map_or_else(|| e.user_message(), |f| f.message_ja.clone()),
        ));
    };
    let check = move |_| {
        error.set(None);
        preview.set(None);
        imported.set(None);
        busy.set(true);
        spawn_local(async move {
            match chosen_file(FILE_INPUT).await {
                None => error.set(Some("CSVファイルを選んでください".into())),
                Some((name, bytes)) => {
                    let encoded = encode(&bytes);
                    match preview_recipient_import(encoded.clone()).await {
                        Ok(p) => {
                            file.set(Some((name, encoded)));
                            preview.set(Some(p));
                        }
                        Err(e) => fail(e),
                    }
                }
            }
            busy.set(false);
        });
    };
    let commit = move |_| {
        let (Some(p), Some((_, encoded))) = (preview.get_untracked(), file.get_untracked()) else {
            return;
        };
        error.set(None);
        busy.set(true);
        spawn_local(async move {
            match commit_recipient_import(p.preview_id, encoded).await {
                Ok(n) => {
                    imported.set(Some(n));
                    preview.set(None);
                }
                Err(e) => fail(e),
            }
            busy.set(false);
        });
    };
    view! {
        <section class="settings settings--wide" aria-labelledby="import-title">
            <p><a href="/recipients">"← 利用者一覧へ"</a></p>
            <h1 id="import-title">"CSVから取り込む"</h1>
            <p>"1行に1人の利用者を書いたCSVファイル（UTF-8またはShift_JIS、2MB・1,000行まで）から、まとめて登録します。"
                "見出し行には「姓」「名」「姓（ふりがな）」「名（ふりがな）」「生年月日」「性別」が必要です。"
                "利用者一覧の「CSVで出力」で保存したファイルもそのまま取り込めます。"</p>
            <p>"まず内容を確認します。誤りが1件でもあるときは取り込まれません。連絡先などがない行は「未入力項目あり」として登録され、あとから編集で入力できます。"</p>
            <form class="form" novalidate on:submit=move |ev| { ev.prevent_default(); check(()); }>
                <div class="field">
                    <div class="field__label"><label for=FILE_INPUT>"CSVファイル"</label></div>
                    <input id=FILE_INPUT type="file" accept=".csv,text/csv" />
                </div>
                <FormAlert message=Signal::derive(move || error.get()) />
                <button type="submit" class="button button--secondary" disabled=move || busy.get()>"内容を確認する"</button>
            </form>
            <div aria-live="polite">
                {move || imported.get().map(|n| view! {
                    <div class="notice notice--ok" role="status">
                        <p>{format!("{n}人の利用者を登録しました。")}</p>
                        <a href="/recipients">"利用者一覧を見る"</a>
                    </div>
                })}
                {move || preview.get().map(|p| {
                    let ready = p.errors.is_empty() && p.new > 0;
                    let name = file.get().map(|(n, _)| n).unwrap_or_default();
                    view! {
                        <h2>"確認結果"</h2>
                        <dl class="summary">
                            <div><dt>"ファイル"</dt><dd>{name}</dd></div>
                            <div><dt>"行数"</dt><dd>{p.rows}</dd></div>
                            <div><dt>"登録できる行"</dt><dd>{format!("{}（うち未入力項目あり {}）", p.new, p.incomplete)}</dd></div>
                            <div><dt>"重複"</dt><dd>{p.duplicates}</dd></div>
                            <div><dt>"誤り"</dt><dd>{p.errors.len()}</dd></div>
                        </dl>
                        {(!p.errors.is_empty()).then(|| view! {
                            <p role="alert">"誤りがあるため取り込めません。ファイルを直してから、もう一度確認してください。"</p>
                            <CellTable caption="誤りの一覧" cells=p.errors.clone() />
                        })}
                        {(!p.warnings.is_empty()).then(|| view! { <CellTable caption="確認事項" cells=p.warnings.clone() /> })}
                        {ready.then(|| view! {
                            <p>
                                <button type="button" class="button" disabled=move || busy.get() on:click=commit>
                                    {format!("{}人を取り込む", p.new)}
                                </button>
                            </p>
                        })}
                    }
                })}
            </div>
        </section>
    }
    .into_any()
}

#[component]
fn CellTable(caption: &'static str, cells: Vec<shared::recipient::CellError>) -> impl IntoView {
    view! {
        <div class="table-scroll">
            <table class="table">
                <caption>{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">"行"</th>
                        <th scope="col">"列"</th>
                        <th scope="col">"内容"</th>
                    </tr>
                </thead>
                <tbody>
                    {cells.into_iter().map(|c| view! {
                        <tr><td>{c.row}</td><td>{c.column}</td><td>{c.message}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
