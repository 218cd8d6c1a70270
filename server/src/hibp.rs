//! Have I Been Pwned range check (SPEC §2.7): only the first five hex digits of the password's
//! SHA-1 leave the server (k-anonymity), with `Add-Padding`; 3-second timeout; on any failure the
//! rule is skipped and a warning logged.

use app::ssr::breach::{BreachCheck, breached};
use futures::future::BoxFuture;
use sha1::{Digest, Sha1};
use shared::AppError;
use std::time::Duration;
use url::Url;

#[derive(Debug)]
pub struct HibpCheck {
    client: reqwest::Client,
    base: Url,
}

impl HibpCheck {
    pub fn new(base: Url) -> Self {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(3))
            .user_agent("keikakun")
            .build()
            .expect("a plain reqwest client builds");
        Self { client, base }
    }

    async fn count(&self, password: &str) -> Result<u64, reqwest::Error> {
        let digest: String = Sha1::digest(password.as_bytes())
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect();
        let (prefix, suffix) = digest.split_at(5);
        let url = format!(
            "{}/range/{prefix}",
            self.base.as_str().trim_end_matches('/')
        );
        let body = self
            .client
            .get(url)
            .header("Add-Padding", "true")
            .send()
            .await?
            .error_for_status()?
            .text()
            .await?;
        Ok(body
            .lines()
            .filter_map(|line| line.trim().split_once(':'))
            .find(|(s, _)| s.eq_ignore_ascii_case(suffix))
            .and_then(|(_, count)| count.trim().parse().ok())
            .unwrap_or(0))
    }
}

impl BreachCheck for HibpCheck {
    fn check<'a>(&'a self, password: &'a str) -> BoxFuture<'a, Result<(), AppError>> {
        Box::pin(async move {
            match self.count(password).await {
                Ok(0) => Ok(()),
                Ok(_) => Err(breached("password")),
                Err(error) => {
                    tracing::warn!(error = %error.without_url(), "breached-password check unavailable; allowed");
                    Ok(())
                }
            }
        })
    }
}
