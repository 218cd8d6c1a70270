//! Documents on the local disk (the embedded default): files under `KK_STORAGE_DIR` named by
//! their keys, opened through `/files/{token}` links that the app signs (HMAC) and that expire
//! like presigned URLs. Keys hold ids only; anything else is refused before touching the disk.

use app::ssr::{
    crypto::MacKey,
    storage::{Disposition, DocumentStorage, StorageError},
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use futures::future::BoxFuture;
use serde::{Deserialize, Serialize};
use std::{
    fmt, io,
    path::{Path, PathBuf},
    time::{Duration, SystemTime, UNIX_EPOCH},
};

/// The purpose of the link MAC (the HMAC key serves other purposes too).
const LINK_PURPOSE: &str = "local-document-link";
pub const LINK_PREFIX: &str = "/files/";

#[derive(Clone)]
pub struct LocalStorage {
    root: PathBuf,
    mac: MacKey,
}

impl fmt::Debug for LocalStorage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LocalStorage")
            .field("root", &self.root)
            .finish_non_exhaustive()
    }
}

/// What a link grants: one key, until a moment, shown one way under one name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkClaims {
    #[serde(rename = "k")]
    pub key: String,
    /// Unix seconds.
    #[serde(rename = "e")]
    pub expires: u64,
    #[serde(rename = "a")]
    pub attachment: bool,
    #[serde(rename = "n")]
    pub file_name: String,
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Keys are `offices/<uuid>/…/v<n>.pdf`: ASCII letters, digits, `-`, `_`, `.` and `/` only,
/// no empty or dot segments.
fn valid_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= 400
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'/'))
        && key
            .split('/')
            .all(|segment| !segment.is_empty() && segment != "." && segment != "..")
}

impl LocalStorage {
    pub fn new(root: PathBuf, mac: MacKey) -> io::Result<Self> {
        std::fs::create_dir_all(&root)?;
        Ok(Self { root, mac })
    }

    /// The file of `key`, if the key is well-formed.
    pub fn path_of(&self, key: &str) -> Option<PathBuf> {
        valid_key(key).then(|| self.root.join(key))
    }

    /// `/files/{payload}.{mac}`.
    pub fn sign(&self, claims: &LinkClaims) -> String {
        let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).unwrap_or_default());
        let mac = URL_SAFE_NO_PAD.encode(self.mac.sign(LINK_PURPOSE, payload.as_bytes()));
        format!("{LINK_PREFIX}{payload}.{mac}")
    }

    /// The claims of a link token that is ours, unaltered and not expired.
    pub fn verify(&self, token: &str, now: u64) -> Option<LinkClaims> {
        let (payload, mac) = token.split_once('.')?;
        let mac = URL_SAFE_NO_PAD.decode(mac).ok()?;
        if !self.mac.verify(LINK_PURPOSE, payload.as_bytes(), &mac) {
            return None;
        }
        let claims: LinkClaims =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()?;
        (claims.expires > now && valid_key(&claims.key)).then_some(claims)
    }

    pub fn verify_now(&self, token: &str) -> Option<LinkClaims> {
        self.verify(token, unix_now())
    }
}

fn failed(operation: &'static str) -> impl Fn(io::Error) -> StorageError {
    move |e| StorageError::new(operation, e.kind())
}

impl DocumentStorage for LocalStorage {
    fn put<'a>(
        &'a self,
        key: &'a str,
        path: &'a Path,
        _file_name: &'a str,
    ) -> BoxFuture<'a, Result<(), StorageError>> {
        Box::pin(async move {
            let target = self
                .path_of(key)
                .ok_or_else(|| StorageError::new("put", "malformed key"))?;
            let dir = target
                .parent()
                .ok_or_else(|| StorageError::new("put", "key without a folder"))?;
            tokio::fs::create_dir_all(dir)
                .await
                .map_err(failed("put"))?;
            // Copy next to the target, then rename: a reader never sees half a file.
            let partial = target.with_extension("pdf.partial");
            tokio::fs::copy(path, &partial)
                .await
                .map_err(failed("put"))?;
            tokio::fs::rename(&partial, &target)
                .await
                .map_err(failed("put"))?;
            Ok(())
        })
    }

    fn delete<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<(), StorageError>> {
        Box::pin(async move {
            let target = self
                .path_of(key)
                .ok_or_else(|| StorageError::new("delete", "malformed key"))?;
            match tokio::fs::remove_file(&target).await {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
                Err(e) => Err(failed("delete")(e)),
            }
        })
    }

    fn link<'a>(
        &'a self,
        key: &'a str,
        disposition: Disposition,
        file_name: &'a str,
        ttl: Duration,
    ) -> BoxFuture<'a, Result<String, StorageError>> {
        Box::pin(async move {
            if !valid_key(key) {
                return Err(StorageError::new("link", "malformed key"));
            }
            Ok(self.sign(&LinkClaims {
                key: key.to_owned(),
                expires: unix_now() + ttl.as_secs(),
                attachment: disposition == Disposition::Attachment,
                file_name: file_name.to_owned(),
            }))
        })
    }

    fn list<'a>(&'a self, prefix: &'a str) -> BoxFuture<'a, Result<Vec<String>, StorageError>> {
        Box::pin(async move {
            let mut keys = Vec::new();
            let mut pending = vec![self.root.clone()];
            while let Some(dir) = pending.pop() {
                let mut entries = match tokio::fs::read_dir(&dir).await {
                    Ok(entries) => entries,
                    Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                    Err(e) => return Err(failed("list")(e)),
                };
                while let Some(entry) = entries.next_entry().await.map_err(failed("list"))? {
                    let path = entry.path();
                    if entry.file_type().await.map_err(failed("list"))?.is_dir() {
                        pending.push(path);
                    } else if let Ok(relative) = path.strip_prefix(&self.root) {
                        let key = relative.to_string_lossy().replace('\\', "/");
                        if key.starts_with(prefix) && key.ends_with(".pdf") {
                            keys.push(key);
                        }
                    }
                }
            }
            keys.sort();
            Ok(keys)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::STANDARD;

    fn storage() -> (tempfile::TempDir, LocalStorage) {
        let dir = tempfile::tempdir().unwrap();
        let mac = MacKey::parse(&STANDARD.encode([3u8; 32])).unwrap();
        let storage = LocalStorage::new(dir.path().join("docs"), mac).unwrap();
        (dir, storage)
    }

    #[test]
    fn only_id_shaped_keys_reach_the_disk() {
        let (_dir, s) = storage();
        assert!(s.path_of("offices/a/b/v1.pdf").is_some());
        for bad in [
            "",
            "/etc/passwd",
            "offices/../x.pdf",
            "a//b",
            "a/./b",
            "a b.pdf",
            "a\\b",
        ] {
            assert!(s.path_of(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn links_expire_and_cannot_be_altered() {
        let (_dir, s) = storage();
        let claims = LinkClaims {
            key: "offices/a/v1.pdf".into(),
            expires: 1_000,
            attachment: false,
            file_name: "計画書.pdf".into(),
        };
        let link = s.sign(&claims);
        let token = link.strip_prefix(LINK_PREFIX).unwrap();
        assert_eq!(s.verify(token, 999), Some(claims.clone()));
        assert_eq!(s.verify(token, 1_000), None, "expired");
        let (payload, mac) = token.split_once('.').unwrap();
        let forged = URL_SAFE_NO_PAD.encode(
            serde_json::to_vec(&LinkClaims {
                key: "offices/b/v1.pdf".into(),
                ..claims
            })
            .unwrap(),
        );
        assert_eq!(s.verify(&format!("{forged}.{mac}"), 999), None, "other key");
        assert_eq!(s.verify(&format!("{payload}.AAAA"), 999), None, "bad mac");
    }
}
