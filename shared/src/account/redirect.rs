//! Where to go after login (SPEC §2.3 step 9): only a same-origin relative path.

/// The page to open after login: `from` when it is a same-origin relative path, else `/home`.
pub fn safe_redirect(from: Option<&str>) -> String {
    const DEFAULT: &str = "/home";
    let Some(path) = from else {
        return DEFAULT.to_owned();
    };
    let acceptable = path.starts_with('/')
        && !path.starts_with("//")
        && !path.starts_with("/\\")
        && !path.contains(['\\', '\r', '\n', '\t'])
        && !path.contains("://")
        && path.len() <= 512
        // Pages that only make sense before login would loop.
        && !["/login", "/signup", "/logout"]
            .iter()
            .any(|p| path == *p || path.starts_with(&format!("{p}?")));
    if acceptable {
        path.to_owned()
    } else {
        DEFAULT.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_relative_paths_pass() {
        assert_eq!(
            safe_redirect(Some("/settings/security")),
            "/settings/security"
        );
        assert_eq!(safe_redirect(Some("/home?tab=1")), "/home?tab=1");
        for bad in [
            "https://evil.example/",
            "//evil.example",
            "/\\evil.example",
            "javascript:alert(1)",
            "/x\nSet-Cookie:",
            "/login",
            "",
        ] {
            assert_eq!(safe_redirect(Some(bad)), "/home", "{bad:?}");
        }
        assert_eq!(safe_redirect(None), "/home");
    }
}
