//! The document storage the configuration chose (SPEC §7.2): S3 through aws-sdk-s3, or the
//! local disk of the embedded defaults. Both implement `app::ssr::storage::DocumentStorage`.

pub mod local;
pub mod s3;

use crate::config::{ConfigError, StorageConfig};
use app::ssr::{crypto::MacKey, storage::DocumentStorage};
use std::sync::Arc;

/// What the rest of the server needs to know about the chosen storage.
pub struct Storage {
    pub documents: Arc<dyn DocumentStorage>,
    /// The local disk's link route, when documents live there.
    pub local: Option<Arc<local::LocalStorage>>,
    /// The CSP `frame-src` that lets the plan page show a PDF.
    pub frame_src: String,
}

pub fn build(config: &StorageConfig, mac: &MacKey) -> Result<Storage, ConfigError> {
    match config {
        StorageConfig::Local { dir } => {
            let local = Arc::new(local::LocalStorage::new(dir.clone(), mac.clone()).map_err(
                |_| ConfigError {
                    var: "KK_STORAGE_DIR",
                    expected: "a folder the server can create and write",
                },
            )?);
            Ok(Storage {
                documents: local.clone(),
                local: Some(local),
                frame_src: "'self'".to_owned(),
            })
        }
        StorageConfig::S3(s3) => {
            let storage = s3::S3Storage::new(s3);
            Ok(Storage {
                frame_src: storage.origin(),
                documents: Arc::new(storage),
                local: None,
            })
        }
    }
}
