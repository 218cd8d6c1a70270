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
