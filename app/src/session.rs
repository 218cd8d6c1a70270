//! The signed-in user as every page sees it: one resource per page load, read through
//! [`use_session`], and the guard [`SignedIn`] for pages that need an account.

use crate::api::auth::get_session;
use leptos::prelude::*;
use leptos_router::{components::Redirect, hooks::use_location};
use shared::{
    AppError, Role,
    account::{CurrentUser, SessionState},
};

#[derive(Clone, Copy)]
pub struct Session(pub Resource<Result<SessionState, AppError>>);

pub fn provide_session() {
    provide_context(Session(Resource::new(|| (), |_| get_session())));
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}

/// `/login?from=<this page>`.
pub fn login_path(from: &str) -> String {
    let encoded: String = from
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect();
    format!("/login?from={encoded}")
}

/// Renders `render(user)` for a signed-in user; sends everyone else to login (or, for an owner
/// who has not set up the office, to the setup page unless `allow_without_office`; app_admins,
/// who have no office, to their console).
#[component]
pub fn SignedIn<F>(
    /// Renders the page for the user. Read route parameters and create resources in the page
    /// component itself and move them in here: this runs inside a `Suspend`, where the order in
    /// which hydration meets them is not the server's.
    render: F,
    #[prop(optional)] allow_without_office: bool,
) -> impl IntoView
where
    F: Fn(CurrentUser) -> AnyView + Clone + Send + Sync + 'static,
{
    let session = use_session();
    let location = use_location();
    view! {
        <Suspense fallback=|| view! { <p class="loading">"読み込み中…"</p> }>
            {move || {
                let render = render.clone();
                Suspend::new(async move {
                match session.0.await {
                    Ok(SessionState { user: Some(user), .. }) => {
                        let on_consent_page = location.pathname.get_untracked() == "/consent";
                        if user.terms_outdated && !on_consent_page {
                            view! { <Redirect path="/consent" /> }.into_any()
                        } else if user.office.is_none() && !allow_without_office {
                            let path = if user.role == Role::AppAdmin { "/app-admin" } else { "/setup/office" };
                            view! { <Redirect path /> }.into_any()
                        } else {
                            render(user)
                        }
                    }
                    Ok(_) => {
                        let from = location.pathname.get_untracked();
                        let path = if from.starts_with("/app-admin") {
                            "/app-admin/login".to_owned()
                        } else {
                            login_path(&from)
                        };
                        view! { <Redirect path /> }.into_any()
                    }
                    Err(error) => {
                        view! { <p class="form-alert form-alert--shown" role="alert">{error.user_message()}</p> }
                            .into_any()
                    }
                }
                })
            }}
        </Suspense>
    }
}
